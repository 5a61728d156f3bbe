using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using MailIdentity.Dns;
using MailIdentity.Naming;
using MailIdentity.Smtp;

namespace MailIdentity.Rules;

/// <summary>The verdict for one sending address: every finding, the worst as the status, and the evidence.</summary>
public sealed class MailIdentityReport
{
    private readonly IdentityEvidence _evidence;

    internal MailIdentityReport(IdentityEvidence evidence, IReadOnlyList<Finding> findings, GenericPtrVerdict? generic)
    {
        _evidence = evidence;
        Findings = new TextList<Finding>(findings.ToList());
        Status = findings.Count == 0 ? Severity.Pass : findings.Max(f => f.Severity);
        FailingRules = Ids(Severity.Fail);
        WarningRules = Ids(Severity.Warning);
        InconclusiveRules = Ids(Severity.Inconclusive);
        IsGenericPtr = generic?.IsGeneric ?? false;
        Summary = Summarise();
    }

    /// <summary>What the admin gave: the IP, host name or domain this address came from.</summary>
    public string Input => _evidence.Target.Input;

    /// <summary>The address checked, as text (so CSV and JSON show "192.0.2.25", and it pipes on by name).</summary>
    public string IPAddress => _evidence.Target.IPAddress.ToString();

    public string? HostName => _evidence.Target.HostName;

    public string? Domain => _evidence.Target.Domain;

    /// <summary>Pass, Info, Warning, Inconclusive or Fail: the worst finding.</summary>
    public Severity Status { get; }

    /// <summary>One line: the status and the most important findings.</summary>
    public string Summary { get; }

    /// <summary>The PTR names of the address ("a; b" in CSV).</summary>
    public TextList<string> Ptr => new(_evidence.Ptr.Hostnames.ToList());

    public DnsLookupStatus PtrStatus => _evidence.Ptr.Status;

    public ForwardConfirmationStatus ForwardConfirmation => _evidence.ForwardConfirmation.Status;

    /// <summary>True when the PTR looks generic/dynamic.</summary>
    public bool IsGenericPtr { get; }

    /// <summary>The host in the SMTP greeting (null when skipped, masked or missing).</summary>
    public string? BannerHost => _evidence.Smtp?.BannerHost;

    /// <summary>The host the server names in its EHLO reply.</summary>
    public string? EhloHost => _evidence.Smtp?.EhloHost;

    /// <summary>The SMTP probe's status; null with -SkipSmtp.</summary>
    public SmtpProbeStatus? SmtpStatus => _evidence.Smtp?.Status;

    /// <summary>The MTA recognised from the greeting and EHLO.</summary>
    public ServerSoftware Software => _evidence.Smtp?.Software ?? ServerSoftware.Unknown;

    /// <summary>Ids of the rules that failed ("MI0105; MI0203" in CSV).</summary>
    public TextList<string> FailingRules { get; }

    public TextList<string> WarningRules { get; }

    public TextList<string> InconclusiveRules { get; }

    /// <summary>Every finding, Pass included, in rule order.</summary>
    public TextList<Finding> Findings { get; }

    /// <summary>The raw evidence: PTR lookup, FCrDNS, SMTP probe (with transcript), MX. A method, so that
    /// ConvertTo-Json and Export-Csv stay flat; call $report.GetEvidence().Smtp.Transcript for the detail.</summary>
    public IdentityEvidence GetEvidence() => _evidence;

    private TextList<string> Ids(Severity severity) => new(Findings.Where(f => f.Severity == severity).Select(f => f.RuleId).ToList());

    private string Summarise()
    {
        var worst = Findings.Where(f => f.Severity == Status && f.Severity != Severity.Pass).Select(f => f.Message).ToArray();
        if (worst.Length == 0)
        {
            return Status == Severity.Pass
                ? $"All {Findings.Count} checks pass for {IPAddress}."
                : $"{Status}: {IPAddress}.";
        }

        var text = $"{Status}: {worst[0]}";
        return worst.Length > 1 ? $"{text} (+{worst.Length - 1} more)" : text;
    }

    public override string ToString() => Summary;
}
