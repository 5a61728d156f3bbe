using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailIdentity.Commands.Infrastructure;
using MailIdentity.Dns;
using MailIdentity.Rules;
using MailIdentity.Smtp;
using MailIdentity.Text;

namespace MailIdentity.Commands;

/// <summary>
/// <para type="synopsis">Checks whether a mail server's identity adds up: PTR, FCrDNS, greeting, EHLO, HELO, MX, TLS.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "MailIdentity", DefaultParameterSetName = DetailSet)]
[OutputType(typeof(MailIdentityReport), ParameterSetName = new[] { DetailSet })]
[OutputType(typeof(bool), ParameterSetName = new[] { QuietSet })]
public sealed class TestMailIdentityCommand : SmtpCmdletBase
{
    private const string DetailSet = "Detail";
    private const string QuietSet = "Quiet";

    // IP -> domains seen with it earlier in this run, in input order (shared-IP rule).
    private readonly Dictionary<IPAddress, List<string>> _domainsByIp = new();
    private RuleEngine _engine = null!;
    private IdentityCollector _collector = null!;

    // Latency-bound work: 64 overlaps a postscreen-style greeting delay well (bench/README.md).
    public TestMailIdentityCommand() => ThrottleLimit = 64;

    /// <summary>The sending IP addresses to check.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("IP", "Address", "SendingIP", "SourceIP", "ClientIP", "IPv4", "IPv6", "IPv4Address", "IPv6Address", "Sending IP", "IP Address")]
    [AllowEmptyCollection]
    [AllowNull]
    public AddressArgument?[]? IPAddress { get; set; }

    /// <summary>The host name the server should be known by; without -IPAddress each of its A/AAAA addresses is tested.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Host", "ComputerName", "MailServer", "MailHost", "Server", "FQDN", "Mta", "Mail Server", "Host Name")]
    [AllowEmptyString]
    [AllowNull]
    public string? HostName { get; set; }

    /// <summary>The mail domain; its MX must point at the server. Without -IPAddress and -HostName, each MX host's addresses are tested.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("MailDomain", "EmailDomain", "SenderDomain", "DomainName", "Zone", "Mail Domain", "Email Domain")]
    [AllowEmptyString]
    [AllowNull]
    public string? Domain { get; set; }

    /// <summary>The name the server announces in HELO/EHLO when it sends (cannot be seen from outside).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Helo", "Ehlo", "EhloName", "HeloHost", "SmtpHeloName")]
    [AllowEmptyString]
    [AllowNull]
    public string? HeloName { get; set; }

    /// <summary>
    /// The SMTP port to probe (default 25). A string, so that a CSV cell is checked by the cmdlet: a blank
    /// cell means the default, and "abc" is an error naming the row instead of a silent fall-back to 25.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("SmtpPort", "SMTP Port")]
    [AllowEmptyString]
    [AllowNull]
    public string? Port { get; set; }

    /// <summary>Check DNS only; for send-only IPs that take no inbound connections.</summary>
    [Parameter]
    public SwitchParameter SkipSmtp { get; set; }

    /// <summary>Negotiate STARTTLS and check the certificate.</summary>
    [Parameter]
    public SwitchParameter StartTls { get; set; }

    /// <summary>Rule ids or names to skip.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(RuleIdCompleter))]
    [ValidateNotNull]
    public string[] ExcludeRule { get; set; } = Array.Empty<string>();

    /// <summary>Return only True (Pass or Info) or False per input.</summary>
    [Parameter(Mandatory = true, ParameterSetName = QuietSet)]
    public SwitchParameter Quiet { get; set; }

    protected override string ProgressActivity => "Test-MailIdentity";

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        try
        {
            _engine = new RuleEngine(ExcludeRule);
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidRule", ErrorCategory.InvalidArgument, ExcludeRule));
        }

        var smtp = SkipSmtp ? null : new SmtpProbeOptions { Timeout = TimeSpan.FromSeconds(TimeoutSeconds), StartTls = StartTls };
        _collector = new IdentityCollector(Resolver, smtp);
    }

    protected override void ProcessRecord()
    {
        var addresses = IPAddress is { Length: > 0 } ? IPAddress : new AddressArgument?[] { null };
        foreach (var argument in addresses)
        {
            ProcessOne(Blank(argument?.Text));
        }
    }

    private void ProcessOne(string? ipText)
    {
        var host = Blank(HostName);
        var domain = Blank(Domain);
        var input = ipText ?? host ?? domain;
        if (input is null)
        {
            Emit(new ErrorRecord(new ArgumentException("The input has no IPAddress, HostName or Domain. Give at least one (CSV columns IP, HostName, Domain)."),
                "MissingTarget", ErrorCategory.InvalidArgument, CurrentInput()));
            return;
        }

        if (host is not null && !Text.HostName.IsValidName(host))
        {
            Emit(new ErrorRecord(new ArgumentException($"'{Errors.Describe(host)}' is not a valid host name."), "InvalidHostName", ErrorCategory.InvalidArgument, host));
            return;
        }

        if (domain is not null && !Text.HostName.IsValidName(domain))
        {
            Emit(new ErrorRecord(new ArgumentException($"'{Errors.Describe(domain)}' is not a valid domain name."), "InvalidDomain", ErrorCategory.InvalidArgument, domain));
            return;
        }

        System.Net.IPAddress? address = null;
        if (ipText is not null && !IPAddressText.TryParse(ipText, out address))
        {
            Emit(Errors.NotAnIPAddress(ipText));
            return;
        }

        var portText = Blank(Port);
        var port = 25;
        if (portText is not null && (!int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            Emit(new ErrorRecord(new ArgumentException($"The port '{Errors.Describe(portText)}' of '{Errors.Describe(input)}' is not a port number (1 to 65535)."),
                "InvalidPort", ErrorCategory.InvalidArgument, input));
            return;
        }

        var shared = address is null ? Array.Empty<string>() : TrackSharedIp(address, domain);
        var template = new TargetTemplate(input, host, domain, Blank(HeloName), port, shared);
        var quiet = Quiet.IsPresent;
        Submit(input, async token =>
        {
            var outputs = new List<object>();
            if (address is not null)
            {
                outputs.Add(await CheckAsync(template.For(address), token).ConfigureAwait(false));
            }
            else
            {
                var (addresses, error) = await ExpandAsync(template, token).ConfigureAwait(false);
                if (error is not null)
                {
                    outputs.Add(error);
                }

                foreach (var a in addresses)
                {
                    outputs.Add(await CheckAsync(template.For(a), token).ConfigureAwait(false));
                }
            }

            if (!quiet)
            {
                return outputs;
            }

            var ok = outputs.Count > 0 && outputs.All(o => o is MailIdentityReport r && r.Status <= Severity.Info);
            var quietOutputs = outputs.OfType<ErrorRecord>().Cast<object>().ToList();
            quietOutputs.Add(ok);
            return quietOutputs;
        });
    }

    private void Emit(ErrorRecord error)
    {
        SubmitCompleted(error);
        if (Quiet)
        {
            SubmitCompleted(false);
        }
    }

    private async Task<MailIdentityReport> CheckAsync(IdentityTarget target, CancellationToken token)
    {
        var evidence = await _collector.CollectAsync(target, token, line => QueueVerbose($"[{target.IPAddress}] {line}")).ConfigureAwait(false);
        var report = _engine.Evaluate(evidence);
        QueueVerbose($"[{target.IPAddress}] {DisplayText.Escape(report.Summary)}");
        return report;
    }

    /// <summary>A host name's A/AAAA addresses, or a domain's MX hosts' addresses.</summary>
    private async Task<(IReadOnlyList<System.Net.IPAddress> Addresses, ErrorRecord? Error)> ExpandAsync(TargetTemplate t, CancellationToken token)
    {
        var names = new List<string>();
        if (t.HostName is not null)
        {
            names.Add(t.HostName);
        }
        else
        {
            var mx = await Resolver.QueryAsync(t.Domain!, DnsRecordType.MX, token).ConfigureAwait(false);
            if (mx.Status != DnsLookupStatus.Found)
            {
                return (Array.Empty<System.Net.IPAddress>(), LookupError(mx, t.Domain!, "DomainHasNoMx",
                    $"The domain '{t.Domain}' has no MX record ({mx.Status}); give -IPAddress or -HostName to test its sending server."));
            }

            names.AddRange(mx.Records.OrderBy(r => r.Preference).Select(r => r.Value).Distinct(StringComparer.Ordinal));
        }

        var found = await HostAddressLookup.ResolveAsync(Resolver, names, token).ConfigureAwait(false);
        if (found.Addresses.Count > 0)
        {
            return (found.Addresses, null);
        }

        var what = t.HostName is not null ? $"The host name '{t.HostName}'" : $"No MX host of '{t.Domain}' ({string.Join(", ", names)})";
        var failure = found.TemporaryFailure;
        return (found.Addresses, failure is not null
            ? LookupError(failure, t.Input, "HostNotFound", $"{what} has no A or AAAA record ({failure.Status}).")
            : new ErrorRecord(new ItemNotFoundException($"{what} has no A or AAAA record."), "HostNotFound", ErrorCategory.ObjectNotFound, t.Input));
    }

    private static ErrorRecord LookupError(DnsAnswer answer, string target, string absentId, string message) =>
        answer.Status.IsTemporaryFailure()
            ? Errors.DnsFailure(answer, target)
            : new ErrorRecord(new ItemNotFoundException(message), absentId, ErrorCategory.ObjectNotFound, target);

    private string[] TrackSharedIp(System.Net.IPAddress address, string? domain)
    {
        if (domain is null)
        {
            // Only rows with a domain can share an IP between domains; keeping the others would grow without bound.
            return Array.Empty<string>();
        }

        if (!_domainsByIp.TryGetValue(address, out var domains))
        {
            domains = new List<string>();
            _domainsByIp[address] = domains;
        }

        var earlier = domains.ToArray();
        var normalized = domain is null ? null : Text.HostName.Normalize(domain);
        if (normalized is not null && !domains.Contains(normalized))
        {
            domains.Add(normalized);
        }

        // Only other domains count: the same domain on two rows is a duplicate row, not a shared IP.
        return normalized is null ? Array.Empty<string>() : earlier.Where(d => d != normalized).ToArray();
    }

    /// <summary>Names an input that has no target: the values it bound, e.g. "IPAddress='', Domain=''".</summary>
    private string CurrentInput()
    {
        if (IPAddress is null && HostName is null && Domain is null && InputObject is not null)
        {
            return Errors.Describe(InputObject);
        }

        var bound = MyInvocation.BoundParameters
            .Where(p => p.Key is nameof(IPAddress) or nameof(HostName) or nameof(Domain) or nameof(HeloName))
            .Select(p => $"{p.Key}='{Errors.Describe(p.Value is AddressArgument?[] a ? string.Join(",", a.Select(x => x?.Text)) : p.Value)}'")
            .ToArray();
        return bound.Length > 0 ? string.Join(", ", bound) : "(empty input)";
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();


    /// <summary>The per-row facts; an address makes it a target.</summary>
    private sealed class TargetTemplate
    {
        public TargetTemplate(string input, string? hostName, string? domain, string? heloName, int port, IReadOnlyList<string> shared)
        {
            Input = input;
            HostName = hostName;
            Domain = domain;
            HeloName = heloName;
            Port = port;
            Shared = shared;
        }

        public string Input { get; }
        public string? HostName { get; }
        public string? Domain { get; }
        public string? HeloName { get; }
        public int Port { get; }
        public IReadOnlyList<string> Shared { get; }

        public IdentityTarget For(System.Net.IPAddress address) => new(address, Input)
        {
            HostName = HostName,
            Domain = Domain,
            HeloName = HeloName,
            Port = Port,
            SharedWithDomains = Shared,
        };
    }
}
