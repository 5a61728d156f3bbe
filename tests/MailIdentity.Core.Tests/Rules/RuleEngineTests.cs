using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailIdentity.Dns;
using MailIdentity.Rules;
using MailIdentity.Smtp;
using Xunit;

namespace MailIdentity.Core.Tests.Rules;

public sealed class RuleEngineTests
{
    private static readonly IPAddress Ip = IPAddress.Parse("192.0.2.25");

    private static async Task<MailIdentityReport> Evaluate(InMemoryResolver dns, SmtpProbeResult? smtp = null, string? domain = null,
        string? helo = null, string[]? shared = null, string[]? exclude = null)
    {
        var target = new IdentityTarget(Ip, Ip.ToString()) { Domain = domain, HeloName = helo, SharedWithDomains = shared ?? System.Array.Empty<string>() };
        var evidence = await new IdentityCollector(dns, null).CollectAsync(target, CancellationToken.None);
        if (smtp is not null)
        {
            string? bannerHost = smtp.BannerHost;
            var banner = bannerHost is null ? null : await dns.QueryAsync(bannerHost, DnsRecordType.A, CancellationToken.None);
            evidence = new IdentityEvidence(target, evidence.ForwardConfirmation)
            {
                Smtp = smtp,
                BannerHostAddresses = banner,
                HeloNameAddresses = evidence.HeloNameAddresses,
                Mx = evidence.Mx,
                MxHostAddresses = evidence.MxHostAddresses,
            };
        }

        return new RuleEngine(exclude).Evaluate(evidence);
    }

    private static SmtpProbeResult Greeting(string host, BannerHostKind kind, ServerSoftware software, SmtpProbeStatus status = SmtpProbeStatus.Ok, int code = 220, bool tls = true) =>
        new(host, Ip, 25)
        {
            Status = status,
            ReplyCode = code,
            GreetingLines = new[] { $"{code} {host} ESMTP" },
            BannerHost = kind is BannerHostKind.Fqdn or BannerHostKind.NotFqdn or BannerHostKind.AddressLiteral ? host.ToLowerInvariant() : null,
            BannerHostKind = kind,
            Software = software,
            EhloCode = 250,
            EhloHost = host.ToLowerInvariant(),
            Extensions = tls ? new[] { "PIPELINING", "STARTTLS" } : new[] { "PIPELINING" },
            StartTlsOffered = tls,
        };

    private static InMemoryResolver Aligned(params string[] extra) => new(new[]
    {
        "25.2.0.192.in-addr.arpa PTR mail.example.com",
        "mail.example.com A 192.0.2.25",
        "example.com MX 10 mail.example.com",
    }.Concat(extra).ToArray());

    [Fact]
    public async Task All_aligned_passes_every_rule()
    {
        var r = await Evaluate(Aligned(), Greeting("mail.example.com", BannerHostKind.Fqdn, ServerSoftware.Postfix), "example.com", "mail.example.com");
        Assert.Equal(Severity.Pass, r.Status);
        Assert.All(r.Findings, f => Assert.Null(f.Remediation));
        Assert.Contains(r.Findings, f => f.RuleId == "MI0401" && f.Severity == Severity.Pass);
        Assert.Contains(r.Findings, f => f.RuleId == "MI0302" && f.Severity == Severity.Pass);
        Assert.StartsWith("All ", r.Summary, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ServerSoftware.Postfix, "postconf -e myhostname=mail.example.com")]
    [InlineData(ServerSoftware.Exim, "primary_hostname = mail.example.com")]
    [InlineData(ServerSoftware.Exchange, "Set-ReceiveConnector")]
    [InlineData(ServerSoftware.HMailServer, "Local host name: mail.example.com")]
    [InlineData(ServerSoftware.Sendmail, "confDOMAIN_NAME")]
    public async Task Banner_mismatch_fails_with_the_softwares_own_fix(ServerSoftware software, string expected)
    {
        var r = await Evaluate(Aligned("server1.hosting.example A 198.51.100.1"), Greeting("server1.hosting.example", BannerHostKind.Fqdn, software));
        var f = Assert.Single(r.Findings, x => x.RuleId == "MI0203");
        Assert.Equal(Severity.Fail, f.Severity);
        Assert.Contains("server1.hosting.example", f.Message, System.StringComparison.Ordinal);
        Assert.Contains(expected, f.Remediation, System.StringComparison.Ordinal);
        Assert.Equal(Severity.Fail, r.Status);
        Assert.Contains("MI0203", r.FailingRules);
    }

    [Fact]
    public async Task Same_registrable_domain_only_warns()
    {
        var r = await Evaluate(Aligned("smtp.example.com A 192.0.2.25"), Greeting("smtp.example.com", BannerHostKind.Fqdn, ServerSoftware.Postfix));
        Assert.Equal(Severity.Warning, r.Findings.Single(f => f.RuleId == "MI0203").Severity);
    }

    [Fact]
    public async Task Banner_comparison_ignores_case()
    {
        var r = await Evaluate(Aligned(), Greeting("MAIL.Example.COM", BannerHostKind.Fqdn, ServerSoftware.Exchange));
        Assert.Equal(Severity.Pass, r.Findings.Single(f => f.RuleId == "MI0203").Severity);
    }

    [Fact]
    public async Task Missing_ptr_fails_once_and_sends_the_admin_to_the_ip_owner()
    {
        var r = await Evaluate(new InMemoryResolver("mail.example.com A 192.0.2.25"), Greeting("mail.example.com", BannerHostKind.Fqdn, ServerSoftware.Postfix));
        Assert.Equal(new[] { "MI0101" }, r.FailingRules.ToArray());
        var f = r.Findings.Single(x => x.RuleId == "MI0101");
        Assert.Contains("NXDOMAIN", f.Message, System.StringComparison.Ordinal);
        Assert.Contains("25.2.0.192.in-addr.arpa -> mail.example.com", f.Remediation, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DnsLookupStatus.ServerFailure)]
    [InlineData(DnsLookupStatus.Timeout)]
    [InlineData(DnsLookupStatus.Refused)]
    public async Task A_temporary_ptr_failure_is_inconclusive_never_fail(DnsLookupStatus status)
    {
        var dns = Aligned().Fail("25.2.0.192.in-addr.arpa", DnsRecordType.PTR, status);
        var r = await Evaluate(dns, Greeting("mail.example.com", BannerHostKind.Fqdn, ServerSoftware.Postfix));
        Assert.Equal(Severity.Inconclusive, r.Status);
        Assert.Empty(r.FailingRules);
    }

    [Fact]
    public async Task A_temporary_forward_failure_is_inconclusive()
    {
        var dns = Aligned().Fail("mail.example.com", DnsRecordType.A, DnsLookupStatus.Timeout);
        var r = await Evaluate(dns);
        Assert.Equal(Severity.Inconclusive, r.Findings.Single(f => f.RuleId == "MI0105").Severity);
    }

    [Fact]
    public async Task Masked_banner_warns_and_skips_the_ptr_comparison()
    {
        var r = await Evaluate(Aligned(), Greeting("****************", BannerHostKind.Masked, ServerSoftware.Unknown));
        Assert.Equal(Severity.Warning, r.Findings.Single(f => f.RuleId == "MI0202").Severity);
        Assert.DoesNotContain(r.Findings, f => f.RuleId == "MI0203");
    }

    [Theory]
    [InlineData(SmtpProbeStatus.Timeout, Severity.Inconclusive)]
    [InlineData(SmtpProbeStatus.ConnectionRefused, Severity.Inconclusive)]
    [InlineData(SmtpProbeStatus.Busy, Severity.Warning)]
    [InlineData(SmtpProbeStatus.Rejected, Severity.Fail)]
    public async Task Greeting_status_maps_to_severity(SmtpProbeStatus status, Severity expected)
    {
        var r = await Evaluate(Aligned(), Greeting("mail.example.com", BannerHostKind.Fqdn, ServerSoftware.Postfix, status, status == SmtpProbeStatus.Busy ? 421 : 554));
        Assert.Equal(expected, r.Findings.Single(f => f.RuleId == "MI0201").Severity);
    }

    [Fact]
    public async Task Generic_ptr_remediation_names_the_banner_host_to_set()
    {
        var dns = new InMemoryResolver("25.2.0.192.in-addr.arpa PTR 192-0-2-25.dyn.pool.isp.example", "192-0-2-25.dyn.pool.isp.example A 192.0.2.25", "mail.example.com A 192.0.2.25");
        var r = await Evaluate(dns, Greeting("mail.example.com", BannerHostKind.Fqdn, ServerSoftware.Postfix));
        var generic = r.Findings.Single(f => f.RuleId == "MI0104");
        Assert.Equal(Severity.Warning, generic.Severity);
        Assert.Contains("-> mail.example.com", generic.Remediation, System.StringComparison.Ordinal);
        // The PTR is the side to change, so the banner fix asks for a PTR, not a new myhostname.
        Assert.Contains("PTR of 192.0.2.25 set to mail.example.com", r.Findings.Single(f => f.RuleId == "MI0203").Remediation, System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Helo_name_must_match_the_ptr_and_resolve()
    {
        var r = await Evaluate(Aligned(), helo: "localhost");
        var f = r.Findings.Single(x => x.RuleId == "MI0302");
        Assert.Equal(Severity.Fail, f.Severity);
        Assert.Contains("not a fully-qualified name", f.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mx_elsewhere_fails_and_names_the_record_to_add()
    {
        var r = await Evaluate(Aligned("other.example MX 10 mx.provider.example", "mx.provider.example A 198.51.100.7"), domain: "other.example");
        var f = r.Findings.Single(x => x.RuleId == "MI0401");
        Assert.Equal(Severity.Fail, f.Severity);
        Assert.Contains("other.example. IN MX 10 mail.example.com.", f.Remediation, System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mx_pointing_at_a_name_with_the_ip_passes()
    {
        var r = await Evaluate(Aligned("other.example MX 10 mx.other.example", "mx.other.example A 192.0.2.25"), domain: "other.example");
        Assert.Equal(Severity.Pass, r.Findings.Single(x => x.RuleId == "MI0401").Severity);
    }

    [Fact]
    public async Task Shared_ip_adds_an_info_note_naming_the_other_domains()
    {
        var r = await Evaluate(Aligned(), domain: "b.example", shared: new[] { "a.example" });
        var f = r.Findings.Single(x => x.RuleId == "MI0601");
        Assert.Equal(Severity.Info, f.Severity);
        Assert.Contains("a.example", f.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Excluded_rules_are_not_reported()
    {
        var r = await Evaluate(Aligned("server1.hosting.example A 198.51.100.1"), Greeting("server1.hosting.example", BannerHostKind.Fqdn, ServerSoftware.Exim), exclude: new[] { "MI0203", "BannerHostResolvesToIp", "ehlomatchesptr" });
        Assert.DoesNotContain(r.Findings, f => f.RuleId is "MI0203" or "MI0205" or "MI0301");
        Assert.Equal(Severity.Pass, r.Status);
    }

    [Fact]
    public void Unknown_rule_ids_are_rejected_by_name()
    {
        var ex = Assert.Throws<System.ArgumentException>(() => new RuleEngine(new[] { "MI9999" }));
        Assert.Contains("'MI9999'", ex.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_ids_are_unique_and_documented()
    {
        Assert.Equal(RuleCatalog.All.Count, RuleCatalog.All.Select(r => r.Id).Distinct().Count());
        Assert.All(RuleCatalog.All, r => Assert.False(string.IsNullOrWhiteSpace(r.Description + r.Remediation + r.AppliesWhen)));
    }

    [Fact]
    public async Task Status_is_the_worst_finding_fail_over_inconclusive()
    {
        var dns = Aligned("server1.hosting.example A 198.51.100.1").Fail("example.com", DnsRecordType.MX, DnsLookupStatus.Timeout);
        var r = await Evaluate(dns, Greeting("server1.hosting.example", BannerHostKind.Fqdn, ServerSoftware.Postfix), "example.com");
        Assert.Contains("MI0401", r.InconclusiveRules);
        Assert.Equal(Severity.Fail, r.Status);
    }
}
