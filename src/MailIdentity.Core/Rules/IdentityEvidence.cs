using System.Collections.Generic;
using MailIdentity.Dns;
using MailIdentity.Smtp;

namespace MailIdentity.Rules;

/// <summary>Everything looked up and probed for one address; the rules judge only this.</summary>
public sealed class IdentityEvidence
{
    public IdentityEvidence(IdentityTarget target, ForwardConfirmationResult forwardConfirmation)
    {
        Target = target;
        ForwardConfirmation = forwardConfirmation;
    }

    public IdentityTarget Target { get; }

    public PtrLookupResult Ptr => ForwardConfirmation.Ptr;

    public ForwardConfirmationResult ForwardConfirmation { get; }

    /// <summary>The SMTP probe, or null with -SkipSmtp.</summary>
    public SmtpProbeResult? Smtp { get; init; }

    /// <summary>A/AAAA of the greeting host, when it names one.</summary>
    public DnsAnswer? BannerHostAddresses { get; init; }

    /// <summary>A/AAAA of -HeloName, when given.</summary>
    public DnsAnswer? HeloNameAddresses { get; init; }

    /// <summary>MX of -Domain, when given.</summary>
    public DnsAnswer? Mx { get; init; }

    /// <summary>A/AAAA of each MX host of -Domain.</summary>
    public IReadOnlyDictionary<string, DnsAnswer> MxHostAddresses { get; init; } = new Dictionary<string, DnsAnswer>();

    public override string ToString() => $"Evidence for {Target}";
}
