using System;

namespace MailIdentity.Smtp;

/// <summary>How <see cref="SmtpProbe"/> talks to a server.</summary>
public sealed class SmtpProbeOptions
{
    /// <summary>The TCP port (25 by default; 587 and 2525 are common too).</summary>
    public int Port { get; set; } = 25;

    /// <summary>
    /// The bound on the whole exchange: connect, greeting, EHLO, TLS and QUIT. 30 s by default, because
    /// Postfix postscreen holds the final greeting line back for about 6 s.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The name sent with EHLO/HELO; null for this machine's FQDN (or an address literal when it has none).</summary>
    public string? HeloName { get; set; }

    /// <summary>Negotiate TLS when the server offers STARTTLS, record the certificate, then EHLO again.</summary>
    public bool StartTls { get; set; }

    /// <summary>Read the greeting only, then QUIT, without EHLO or HELO.</summary>
    public bool NoEhlo { get; set; }

    /// <summary>The bounds on each reply read from the server.</summary>
    public SmtpReplyLimits ReplyLimits { get; set; } = SmtpReplyLimits.Default;
}
