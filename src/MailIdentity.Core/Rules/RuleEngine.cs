using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using MailIdentity.Dns;
using MailIdentity.Naming;
using MailIdentity.Smtp;
using MailIdentity.Text;

namespace MailIdentity.Rules;

/// <summary>Applies the alignment rules to the evidence of one address. Pure: no I/O.</summary>
public sealed class RuleEngine
{
    private readonly HashSet<string> _excluded;

    /// <param name="excludedRules">Rule ids or names to skip.</param>
    public RuleEngine(IEnumerable<string>? excludedRules = null)
    {
        _excluded = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in excludedRules ?? Array.Empty<string>())
        {
            var rule = RuleCatalog.Find(item) ?? throw new ArgumentException($"'{item}' is not a rule id or name. Get-MailIdentityRule lists them.", nameof(excludedRules));
            _excluded.Add(rule.Id);
        }
    }

    public MailIdentityReport Evaluate(IdentityEvidence evidence)
    {
        if (evidence is null)
        {
            throw new ArgumentNullException(nameof(evidence));
        }

        var context = new Context(evidence);
        var findings = new List<Finding>();
        void Add(Finding? finding)
        {
            if (finding is not null && !_excluded.Contains(finding.RuleId))
            {
                findings.Add(finding);
            }
        }

        Add(PtrPresent(context));
        Add(SinglePtr(context));
        Add(PtrIsFqdn(context));
        Add(PtrNotGeneric(context));
        Add(ForwardConfirmed(context));
        Add(GreetingReceived(context));
        Add(BannerHasHost(context));
        Add(BannerMatchesPtr(context));
        Add(BannerHostIsFqdn(context));
        Add(BannerHostResolves(context));
        Add(EhloMatchesPtr(context));
        Add(HeloNameMatchesPtr(context));
        Add(MxPointsToHost(context));
        Add(StartTlsOffered(context));
        Add(CertificateNamesHost(context));
        Add(SharedIp(context));
        return new MailIdentityReport(evidence, findings, context.Generic);
    }

    /// <summary>Facts several rules share, worked out once.</summary>
    private sealed class Context
    {
        public Context(IdentityEvidence evidence)
        {
            Evidence = evidence;
            Ip = evidence.Target.IPAddress;
            IpText = Ip.ToString();
            Ptr = evidence.Ptr;
            PtrNames = Ptr.Hostnames;
            Generic = PtrNames.Count > 0 ? GenericPtrClassifier.Classify(PtrNames[0], Ip) : null;
            Smtp = evidence.Smtp;
            Software = Smtp?.Software ?? ServerSoftware.Unknown;
            // A 2xx greeting counts even when EHLO failed afterwards: the banner was read whole (EHLO or HELO
            // is sent only after the final greeting line). A greeting cut off by the timeout does not count.
            GreetingOk = Smtp is { ReplyCode: >= 200 and < 300 } && (Smtp.Status == SmtpProbeStatus.Ok || Smtp.HeloCommand is not null);
            BannerHost = GreetingOk && Smtp!.BannerHostKind is BannerHostKind.Fqdn or BannerHostKind.NotFqdn ? Smtp.BannerHost : null;
            ConfirmedPtr = evidence.ForwardConfirmation.ConfirmedNames.FirstOrDefault(n => HostName.IsFqdn(n));
            BannerResolves = BannerHost is not null && evidence.BannerHostAddresses is { } a &&
                a.HasAddress(Ip);
            PreferredName = ChoosePreferredName();
        }

        public IdentityEvidence Evidence { get; }
        public IPAddress Ip { get; }
        public string IpText { get; }
        public PtrLookupResult Ptr { get; }
        public IReadOnlyList<string> PtrNames { get; }
        public GenericPtrVerdict? Generic { get; }
        public SmtpProbeResult? Smtp { get; }
        public ServerSoftware Software { get; }
        public bool GreetingOk { get; }
        public string? BannerHost { get; }
        public string? ConfirmedPtr { get; }
        public bool BannerResolves { get; }

        /// <summary>The name the whole identity should converge on, taken from the evidence.</summary>
        public string PreferredName { get; }

        /// <summary>True when the PTR is the side to keep: forward-confirmed, an FQDN, not a provider default.</summary>
        public bool PtrIsGood => ConfirmedPtr is not null && Generic is not { IsGeneric: true };

        public string PtrList => PtrNames.Count == 0 ? "(none)" : string.Join(", ", PtrNames);

        private string ChoosePreferredName()
        {
            if (PtrIsGood)
            {
                return BannerHost is not null && Evidence.ForwardConfirmation.ConfirmedNames.Contains(BannerHost) ? BannerHost : ConfirmedPtr!;
            }

            if (BannerHost is not null && HostName.IsFqdn(BannerHost) && BannerResolves)
            {
                return BannerHost;
            }

            if (GivenHostName is { } given)
            {
                return given;
            }

            if (BannerHost is not null && HostName.IsFqdn(BannerHost))
            {
                return BannerHost;
            }

            return DomainMailName;
        }

        /// <summary>-HostName when it is a fully-qualified name; null otherwise.</summary>
        public string? GivenHostName => HostName.IsFqdn(Evidence.Target.HostName) ? HostName.Normalize(Evidence.Target.HostName) : null;

        /// <summary>The last resort: mail.&lt;-Domain&gt;, or a placeholder when no domain is known.</summary>
        public string DomainMailName => HostName.IsFqdn(Evidence.Target.Domain) ? "mail." + HostName.Normalize(Evidence.Target.Domain) : "<your mail server's host name>";
    }

    private const string RetryLater = "Retry later; a DNS server did not answer or answered SERVFAIL. If it persists, tell whoever runs that zone's DNS servers.";

    private static Finding Make(AlignmentRule rule, Severity severity, string message, string evidence, string? remediation = null) =>
        new(rule, severity, message, evidence, remediation);

    private static string DescribePtr(Context c) =>
        $"PTR {c.Ptr.ReverseName}: {c.Ptr.Status}{(c.PtrNames.Count > 0 ? " " + c.PtrList : string.Empty)}{(c.Ptr.CanonicalName is { } cn ? $" (via CNAME {cn})" : string.Empty)} from {c.Ptr.Server}";

    private static Finding PtrPresent(Context c)
    {
        var rule = RuleCatalog.PtrPresent;
        if (c.Ptr.IsTemporaryFailure)
        {
            return Make(rule, Severity.Inconclusive,
                $"The PTR lookup of {c.IpText} failed temporarily ({c.Ptr.Status}); receivers would defer (4xx), not reject.",
                DescribePtr(c) + (c.Ptr.ErrorMessage is { } e ? ". " + e : string.Empty),
                "Retry later; if it persists, the reverse zone's DNS servers are broken: tell whoever runs them (the IP owner).");
        }

        if (c.PtrNames.Count > 0)
        {
            return Make(rule, Severity.Pass, $"{c.IpText} has a PTR record: {c.PtrList}.", DescribePtr(c));
        }

        var why = c.Ptr.Status == DnsLookupStatus.NotFound ? "does not exist (NXDOMAIN)" : "exists but holds no PTR record";
        return Make(rule, Severity.Fail, $"{c.IpText} has no PTR record: {c.Ptr.ReverseName} {why}.", DescribePtr(c),
            Remediation.SetPtr(c.Ip, c.PreferredName, null));
    }

    private static Finding? SinglePtr(Context c)
    {
        if (c.PtrNames.Count == 0)
        {
            return null;
        }

        if (c.PtrNames.Count == 1)
        {
            return Make(RuleCatalog.SinglePtr, Severity.Pass, $"{c.IpText} has exactly one PTR: {c.PtrNames[0]}.", DescribePtr(c));
        }

        return Make(RuleCatalog.SinglePtr, Severity.Warning,
            $"{c.IpText} has {c.PtrNames.Count} PTR records ({c.PtrList}); receivers use one of them at random, and only one can match the greeting and EHLO name.",
            DescribePtr(c),
            $"Ask the owner of {c.IpText} to keep only the PTR {c.PreferredName} and remove {string.Join(", ", c.PtrNames.Where(n => n != c.PreferredName))}.");
    }

    private static Finding? PtrIsFqdn(Context c)
    {
        if (c.PtrNames.Count == 0)
        {
            return null;
        }

        var bad = c.PtrNames.Where(n => !HostName.IsFqdn(n)).ToArray();
        if (bad.Length == 0)
        {
            return Make(RuleCatalog.PtrIsFqdn, Severity.Pass, $"The PTR name {c.PtrList} is a fully-qualified host name.", DescribePtr(c));
        }

        return Make(RuleCatalog.PtrIsFqdn, Severity.Fail,
            $"The PTR name {string.Join(", ", bad.Select(DisplayText.Escape))} is not a fully-qualified host name (a bare IP, a single label or invalid characters).",
            DescribePtr(c), Remediation.SetPtr(c.Ip, c.PreferredName, c.Generic));
    }

    private static Finding? PtrNotGeneric(Context c)
    {
        if (c.PtrNames.Count == 0 || c.Generic is null)
        {
            return null;
        }

        if (!c.Generic.IsGeneric)
        {
            return Make(RuleCatalog.PtrNotGeneric, Severity.Pass, $"The PTR name {c.PtrNames[0]} does not look generic or dynamic.", DescribePtr(c));
        }

        var provider = c.Generic.CloudProvider is { } cloud ? $" ({cloud}'s default name)" : string.Empty;
        var preferred = c.BannerHost is not null && HostName.IsFqdn(c.BannerHost) && !GenericPtrClassifier.Classify(c.BannerHost, c.Ip).IsGeneric
            ? c.BannerHost
            : c.GivenHostName ?? c.DomainMailName;
        return Make(RuleCatalog.PtrNotGeneric, Severity.Warning,
            $"The PTR name {c.PtrNames[0]} looks generic{provider}: {string.Join("; ", c.Generic.Reasons)}. Filters score such names as dynamic/residential.",
            DescribePtr(c) + $"; score {c.Generic.Score}",
            Remediation.SetPtr(c.Ip, preferred, c.Generic));
    }

    private static Finding? ForwardConfirmed(Context c)
    {
        var f = c.Evidence.ForwardConfirmation;
        var details = string.Join("; ", f.Names.Select(n => n.ToString()));
        switch (f.Status)
        {
            case ForwardConfirmationStatus.NoPtr:
                return null; // MI0101 already says it; a second Fail for the same cause only adds noise.
            case ForwardConfirmationStatus.Inconclusive when c.Ptr.IsTemporaryFailure:
                return null; // MI0101 is Inconclusive for the same cause.
            case ForwardConfirmationStatus.Confirmed:
                return Make(RuleCatalog.ForwardConfirmedRdns, Severity.Pass, f.Reason, details);
            case ForwardConfirmationStatus.Inconclusive:
                return Make(RuleCatalog.ForwardConfirmedRdns, Severity.Inconclusive, f.Reason, details, "Retry later; the forward zone's DNS servers did not answer.");
            default:
                var name = c.PtrNames[0];
                var fix = c.BannerResolves && c.BannerHost is not null && !c.PtrNames.Contains(c.BannerHost)
                    ? $"The PTR looks outdated (the server now calls itself {c.BannerHost}, which resolves to {c.IpText}): " + Remediation.SetPtr(c.Ip, c.BannerHost, c.Generic)
                    : Remediation.SetAddressRecord(name, c.Ip) + " Or have the PTR changed to a name that resolves to " + c.IpText + ".";
                return Make(RuleCatalog.ForwardConfirmedRdns, Severity.Fail,
                    $"Forward-confirmed reverse DNS fails: {f.Reason}", details, fix);
        }
    }

    private static Finding? GreetingReceived(Context c)
    {
        var s = c.Smtp;
        if (s is null)
        {
            return null;
        }

        var endpoint = $"{c.IpText} port {s.Port}";
        var greeting = s.GreetingLines.Count > 0 ? string.Join(" | ", s.GreetingLines) : "(nothing)";
        if (c.GreetingOk && s.Status != SmtpProbeStatus.Ok)
        {
            return Make(RuleCatalog.GreetingReceived, Severity.Warning,
                $"{endpoint} greets with {s.ReplyCode}, but the EHLO exchange failed ({s.Status}): {s.ErrorMessage}", greeting,
                "The server accepts connections but does not answer EHLO properly; check its logs and any SMTP proxy or firewall inspection in front of it.");
        }

        return s.Status switch
        {
            SmtpProbeStatus.Ok => Make(RuleCatalog.GreetingReceived, Severity.Pass, $"{endpoint} greets with {s.ReplyCode}.", greeting),
            SmtpProbeStatus.Busy => Make(RuleCatalog.GreetingReceived, Severity.Warning,
                $"{endpoint} answered {s.ReplyCode} (busy, try later): {greeting}", greeting,
                "The server refuses connections temporarily (too many connections, or the client is rate-limited); check its connection limits."),
            SmtpProbeStatus.Rejected => Make(RuleCatalog.GreetingReceived, Severity.Fail,
                $"{endpoint} rejects the connection with {s.ReplyCode}: {greeting}", greeting,
                "Read the rejection text: it often names the cause (for example a PTR problem, or this client being blocked)."),
            SmtpProbeStatus.ProtocolError => Make(RuleCatalog.GreetingReceived, Severity.Fail,
                $"{endpoint} did not send a valid SMTP greeting: {s.ErrorMessage}", greeting,
                "Something other than an SMTP server answers on this port, or a middlebox breaks the greeting."),
            _ => Make(RuleCatalog.GreetingReceived, Severity.Inconclusive,
                $"{endpoint} could not be reached ({s.Status}): {s.ErrorMessage} The greeting and EHLO checks were not made.", greeting,
                "If the IP only sends mail and takes no inbound connections, run with -SkipSmtp; otherwise check that the MTA listens and the firewall allows the port."),
        };
    }

    private static Finding? BannerHasHost(Context c)
    {
        if (!c.GreetingOk)
        {
            return null;
        }

        var s = c.Smtp!;
        var first = s.GreetingLines.Count > 0 ? s.GreetingLines[0] : string.Empty;
        return s.BannerHostKind switch
        {
            BannerHostKind.Masked => Make(RuleCatalog.BannerHasHost, Severity.Warning,
                $"The greeting is masked ('{first}'): a firewall's SMTP inspection (Cisco ASA/PIX 'inspect esmtp') hides the banner. This is not a PTR mismatch, but receivers and admins cannot see the host name.",
                first, "Disable the banner masking: on Cisco ASA, 'policy-map type inspect esmtp' with 'no mask-banner', or remove 'inspect esmtp' from the global policy."),
            BannerHostKind.Missing => Make(RuleCatalog.BannerHasHost, Severity.Warning,
                $"The greeting names no host ('{first}'); RFC 5321 4.2 says it starts with the server's name.",
                first, Remediation.SetBannerHost(c.Software, c.PreferredName)),
            _ => Make(RuleCatalog.BannerHasHost, Severity.Pass, $"The greeting names the host {s.BannerHost}.", first),
        };
    }

    private static Finding? BannerMatchesPtr(Context c)
    {
        if (!c.GreetingOk || c.Smtp!.BannerHostKind is BannerHostKind.Masked or BannerHostKind.Missing)
        {
            return null;
        }

        var banner = c.Smtp.BannerHost ?? string.Empty;
        if (c.Ptr.IsTemporaryFailure)
        {
            return Make(RuleCatalog.BannerMatchesPtr, Severity.Inconclusive,
                $"The greeting names {banner}, but the PTR of {c.IpText} could not be looked up ({c.Ptr.Status}).", DescribePtr(c), RetryLater);
        }

        if (c.PtrNames.Count == 0)
        {
            return null; // MI0101 fails; there is nothing to compare with.
        }

        var evidence = $"greeting host {banner}; {DescribePtr(c)}";
        if (c.Smtp.BannerHostKind == BannerHostKind.AddressLiteral)
        {
            return Make(RuleCatalog.BannerMatchesPtr, Severity.Fail,
                $"The greeting shows the address literal {banner} instead of a host name; the PTR is {c.PtrList}.", evidence,
                Remediation.SetBannerHost(c.Software, c.PreferredName));
        }

        if (c.PtrNames.Any(p => HostName.AreSame(p, banner)))
        {
            return Make(RuleCatalog.BannerMatchesPtr, Severity.Pass, $"The greeting host {banner} is the PTR name of {c.IpText}.", evidence);
        }

        var fix = FixNameMismatch(c, banner, Remediation.SetBannerHost);
        if (c.PtrNames.Any(p => PublicSuffixList.AreSameRegistrableDomain(p, banner)))
        {
            return Make(RuleCatalog.BannerMatchesPtr, Severity.Warning,
                $"The greeting host {banner} is not the PTR name {c.PtrList}, only in the same domain ({PublicSuffixList.RegistrableDomain(banner)}).", evidence, fix);
        }

        return Make(RuleCatalog.BannerMatchesPtr, Severity.Fail,
            $"The greeting host {banner} does not match the PTR {c.PtrList} of {c.IpText}.", evidence, fix);
    }

    /// <summary>Which side to change: the server's name when the PTR is sound, else the PTR.</summary>
    private static string FixNameMismatch(Context c, string shown, Func<ServerSoftware, string, string> setServerName)
    {
        if (c.PtrIsGood)
        {
            return setServerName(c.Software, c.ConfirmedPtr!);
        }

        if (HostName.IsFqdn(shown) && (c.BannerResolves || HostName.AreSame(shown, c.BannerHost)))
        {
            return Remediation.SetPtr(c.Ip, shown, c.Generic);
        }

        return Remediation.SetPtr(c.Ip, c.PreferredName, c.Generic) + " Then: " + setServerName(c.Software, c.PreferredName);
    }

    private static Finding? BannerHostIsFqdn(Context c)
    {
        if (!c.GreetingOk || c.Smtp!.BannerHostKind is BannerHostKind.Masked or BannerHostKind.Missing)
        {
            return null;
        }

        var banner = c.Smtp.BannerHost ?? string.Empty;
        return c.Smtp.BannerHostKind == BannerHostKind.Fqdn
            ? Make(RuleCatalog.BannerHostIsFqdn, Severity.Pass, $"The greeting host {banner} is a fully-qualified domain name.", banner)
            : Make(RuleCatalog.BannerHostIsFqdn, Severity.Warning,
                c.Smtp.BannerHostKind == BannerHostKind.AddressLiteral
                    ? $"The greeting shows an address literal ({banner}), not a host name."
                    : $"The greeting host {banner} is not fully qualified (a computer name, not a DNS name).",
                banner, Remediation.SetBannerHost(c.Software, c.PreferredName));
    }

    private static Finding? BannerHostResolves(Context c)
    {
        if (c.BannerHost is null || c.Evidence.BannerHostAddresses is not { } answer)
        {
            return null;
        }

        var type = c.Ip.AddressFamily == AddressFamily.InterNetworkV6 ? "AAAA" : "A";
        var evidence = $"{type} {c.BannerHost}: {answer.Status} {string.Join(", ", answer.Values)}";
        if (answer.Status.IsTemporaryFailure())
        {
            return Make(RuleCatalog.BannerHostResolvesToIp, Severity.Inconclusive,
                $"The lookup of the greeting host {c.BannerHost} failed temporarily ({answer.Status}).", evidence, RetryLater);
        }

        if (c.BannerResolves)
        {
            return Make(RuleCatalog.BannerHostResolvesToIp, Severity.Pass, $"The greeting host {c.BannerHost} resolves to {c.IpText}.", evidence);
        }

        var found = answer.Status == DnsLookupStatus.Found ? $"resolves to {string.Join(", ", answer.Values)}, not {c.IpText}"
            : answer.Status == DnsLookupStatus.NotFound ? "does not exist in DNS (NXDOMAIN)" : $"has no {type} record";
        return Make(RuleCatalog.BannerHostResolvesToIp, Severity.Warning, $"The greeting host {c.BannerHost} {found}.", evidence,
            HostName.IsFqdn(c.BannerHost) && !c.PtrIsGood ? Remediation.SetAddressRecord(c.BannerHost, c.Ip) : Remediation.SetBannerHost(c.Software, c.PreferredName));
    }

    private static Finding? EhloMatchesPtr(Context c)
    {
        var s = c.Smtp;
        if (s is null || !c.GreetingOk || string.IsNullOrEmpty(s.EhloHost) || c.PtrNames.Count == 0)
        {
            return null;
        }

        var ehlo = s.EhloHost!;
        var evidence = $"EHLO reply {s.EhloCode} {ehlo}; {DescribePtr(c)}";
        if (c.PtrNames.Any(p => HostName.AreSame(p, ehlo)))
        {
            return Make(RuleCatalog.EhloMatchesPtr, Severity.Pass, $"The server names itself {ehlo} in its EHLO reply, the PTR name.", evidence);
        }

        // The same name as the greeting: one fix mends both, so say so instead of repeating it.
        var sameAsBanner = HostName.AreSame(ehlo, c.BannerHost);
        return Make(RuleCatalog.EhloMatchesPtr, Severity.Warning,
            $"The server names itself {ehlo} in its EHLO reply, but the PTR of {c.IpText} is {c.PtrList}.", evidence,
            sameAsBanner ? $"The EHLO name is the greeting host; the fix for {RuleCatalog.BannerMatchesPtr.Id} ({RuleCatalog.BannerMatchesPtr.Name}) mends both."
                         : FixNameMismatch(c, ehlo, Remediation.SetBannerHost));
    }

    private static Finding? HeloNameMatchesPtr(Context c)
    {
        var helo = c.Evidence.Target.HeloName;
        if (string.IsNullOrWhiteSpace(helo))
        {
            return null;
        }

        var name = HostName.Normalize(helo);
        var shown = DisplayText.Escape(name);
        var answer = c.Evidence.HeloNameAddresses;
        var resolves = answer is not null && answer.HasAddress(c.Ip);
        var evidence = $"HELO name {shown}; {(answer is null ? string.Empty : $"{answer.Type} {answer.Status} {string.Join(", ", answer.Values)}; ")}{DescribePtr(c)}";
        var matches = c.PtrNames.Any(p => HostName.AreSame(p, name));
        var definite = HostName.IsFqdn(name) ? c.PtrNames.Count > 0 && !matches : true;
        if (!definite && (c.Ptr.IsTemporaryFailure || (answer is not null && answer.Status.IsTemporaryFailure())))
        {
            return Make(RuleCatalog.HeloNameMatchesPtr, Severity.Inconclusive, $"The HELO name {shown} could not be checked: a lookup failed temporarily.", evidence, RetryLater);
        }

        if (matches && resolves && HostName.IsFqdn(name))
        {
            return Make(RuleCatalog.HeloNameMatchesPtr, Severity.Pass, $"The HELO name {shown} is the PTR name and resolves to {c.IpText}.", evidence);
        }

        var problems = new List<string>();
        if (!HostName.IsFqdn(name))
        {
            problems.Add("is not a fully-qualified name");
        }

        if (!matches)
        {
            problems.Add($"is not the PTR name ({c.PtrList})");
        }

        if (!resolves && HostName.IsFqdn(name))
        {
            problems.Add(answer is not null && answer.Status.IsTemporaryFailure() ? $"could not be resolved ({answer.Status})" : $"does not resolve to {c.IpText}");
        }

        var fix = c.PtrIsGood
            ? Remediation.SetHeloName(c.Software, c.ConfirmedPtr!)
            : HostName.IsFqdn(name) ? Remediation.SetPtr(c.Ip, name, c.Generic) + (resolves ? string.Empty : " " + Remediation.SetAddressRecord(name, c.Ip))
            : Remediation.SetHeloName(c.Software, c.PreferredName);
        return Make(RuleCatalog.HeloNameMatchesPtr, Severity.Fail, $"The HELO name {shown} {string.Join(" and ", problems)}.", evidence, fix);
    }

    private static Finding? MxPointsToHost(Context c)
    {
        var domain = c.Evidence.Target.Domain;
        var mx = c.Evidence.Mx;
        if (string.IsNullOrWhiteSpace(domain) || mx is null)
        {
            return null;
        }

        var shownDomain = DisplayText.Escape(HostName.Normalize(domain));
        var hosts = mx.Records.OrderBy(r => r.Preference).Select(r => r.Value).ToArray();
        var evidence = $"MX {shownDomain}: {mx.Status} {string.Join(", ", mx.Records.OrderBy(r => r.Preference).Select(r => $"{r.Preference} {r.Value}"))}";
        if (mx.Status.IsTemporaryFailure())
        {
            return Make(RuleCatalog.MxPointsToHost, Severity.Inconclusive, $"The MX lookup of {shownDomain} failed temporarily ({mx.Status}).", evidence, RetryLater);
        }

        var target = c.PreferredName;
        if (hosts.Length == 0)
        {
            return Make(RuleCatalog.MxPointsToHost, Severity.Fail,
                $"{shownDomain} has no MX record ({(mx.Status == DnsLookupStatus.NotFound ? "the domain does not exist" : "no MX")}).", evidence,
                $"In the DNS zone of {shownDomain}, add '{shownDomain}. IN MX 10 {target}.'.");
        }

        var names = new HashSet<string>(c.PtrNames, StringComparer.Ordinal);
        if (c.BannerHost is not null)
        {
            names.Add(c.BannerHost);
        }

        var byName = hosts.FirstOrDefault(names.Contains);
        var byAddress = hosts.FirstOrDefault(h => c.Evidence.MxHostAddresses.TryGetValue(h, out var a) &&
            a.HasAddress(c.Ip));
        if (byName is not null || byAddress is not null)
        {
            var which = byName ?? byAddress!;
            return Make(RuleCatalog.MxPointsToHost, Severity.Pass, $"The MX of {shownDomain} points at {which}, this server ({c.IpText}).", evidence);
        }

        var addresses = string.Join("; ", hosts.Select(h => c.Evidence.MxHostAddresses.TryGetValue(h, out var a) ? $"{h} = {(a.Values.Count > 0 ? string.Join(", ", a.Values) : a.Status.ToString())}" : h));
        return Make(RuleCatalog.MxPointsToHost, Severity.Fail,
            $"The MX of {shownDomain} points at {string.Join(", ", hosts)}, not at this server ({target}, {c.IpText}): {addresses}.", evidence,
            $"If this server receives mail for {shownDomain}, add '{shownDomain}. IN MX 10 {target}.' to the zone; if another host receives it, test that host instead (-Domain checks the domain's MX hosts).");
    }

    private static Finding? StartTlsOffered(Context c)
    {
        var s = c.Smtp;
        if (s is null || !c.GreetingOk || s.EhloCode is not (>= 200 and < 300))
        {
            return null;
        }

        return s.StartTlsOffered
            ? Make(RuleCatalog.StartTlsOffered, Severity.Pass, "The server offers STARTTLS.", string.Join(" ", s.Extensions))
            : Make(RuleCatalog.StartTlsOffered, Severity.Warning, "The server does not offer STARTTLS; mail to it travels unencrypted.", string.Join(" ", s.Extensions),
                c.Software == ServerSoftware.Postfix
                    ? $"Postfix: set smtpd_tls_cert_file/smtpd_tls_key_file to a certificate for {c.PreferredName} and 'postconf -e smtpd_tls_security_level=may', then 'postfix reload'."
                    : $"Enable STARTTLS with a certificate for {c.PreferredName}.");
    }

    private static Finding? CertificateNamesHost(Context c)
    {
        var tls = c.Smtp?.Tls;
        if (tls is null)
        {
            return null;
        }

        var evidence = $"subject {tls.Subject}; SAN {string.Join(", ", tls.SubjectAlternativeNames)}; issuer {tls.Issuer}; valid {tls.NotBefore:u} to {tls.NotAfter:u}; chain {string.Join(", ", tls.ChainStatus)}";
        if (!string.IsNullOrEmpty(tls.Error))
        {
            return Make(RuleCatalog.CertificateNamesHost, Severity.Warning, $"The STARTTLS handshake failed: {tls.Error}", evidence,
                "Check the MTA's TLS configuration (certificate and key files, protocols, ciphers).");
        }

        var problems = new List<string>();
        if (tls.NamesBannerHost != true)
        {
            problems.Add($"does not name the greeting host {c.Smtp!.BannerHost ?? "(none)"}");
        }

        if (!tls.IsValid)
        {
            problems.Add($"is not valid ({string.Join(", ", tls.ChainStatus)})");
        }

        return problems.Count == 0
            ? Make(RuleCatalog.CertificateNamesHost, Severity.Pass, $"The certificate is valid and names {c.Smtp!.BannerHost}.", evidence)
            : Make(RuleCatalog.CertificateNamesHost, Severity.Warning, $"The STARTTLS certificate ({tls.Subject}) {string.Join(" and ", problems)}.", evidence,
                $"Install a certificate from a public CA whose SAN includes {c.PreferredName} (e.g. from Let's Encrypt), and keep it renewed.");
    }

    private static Finding? SharedIp(Context c)
    {
        var others = c.Evidence.Target.SharedWithDomains;
        if (others.Count == 0)
        {
            return null;
        }

        var domain = HostName.Normalize(c.Evidence.Target.Domain);
        var ptr = c.PtrNames.Count > 0 ? c.PtrList : "(no PTR)";
        return Make(RuleCatalog.SharedIpDomains, Severity.Info,
            $"{c.IpText} also sends for {string.Join(", ", others)} in this run; its one PTR {ptr} cannot match a host name in every domain ({domain} included).",
            $"IP {c.IpText}: domains {string.Join(", ", others.Concat(new[] { domain }))}",
            $"Use one host name ({c.PreferredName}) for HELO and the greeting for every domain on {c.IpText}; that is fine for receivers. If each domain needs its own name, give each its own IP with its own PTR.");
    }
}
