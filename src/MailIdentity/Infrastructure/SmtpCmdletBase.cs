using System;

namespace MailIdentity.Commands.Infrastructure;

/// <summary>
/// The cmdlets that talk SMTP: -TimeoutSeconds bounds the whole SMTP exchange and defaults to 30 s
/// (Postfix postscreen delays the greeting about 6 s), while each DNS lookup keeps a DNS-sized bound.
/// </summary>
public abstract class SmtpCmdletBase : DnsCmdletBase
{
    /// <summary>The longest a single DNS lookup may take in an SMTP cmdlet, whatever -TimeoutSeconds says.</summary>
    private const int MaxDnsTimeoutSeconds = 10;

    protected SmtpCmdletBase() => TimeoutSeconds = 30;

    protected override TimeSpan DnsTimeout => TimeSpan.FromSeconds(Math.Min(TimeoutSeconds, MaxDnsTimeoutSeconds));
}
