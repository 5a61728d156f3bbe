namespace MailIdentity.Smtp;

/// <summary>The mail server software recognised from the greeting and the EHLO reply.</summary>
public enum ServerSoftware
{
    /// <summary>No known marker in the greeting or EHLO reply (many admins hide the software).</summary>
    Unknown,
    Postfix,
    Exim,
    Sendmail,
    /// <summary>Exchange Server on premises.</summary>
    Exchange,
    /// <summary>Exchange Online Protection (mail.protection.outlook.com).</summary>
    Microsoft365,
    HMailServer,
    MDaemon,
    Qmail,
    OpenSmtpd,
    Haraka,
    Courier,
    Kerio,
    IceWarp,
    SmarterMail,
    MailEnable,
    CommuniGate,
}

/// <summary>What the first token of the greeting is.</summary>
public enum BannerHostKind
{
    /// <summary>A fully-qualified host name, as RFC 5321 asks for.</summary>
    Fqdn,
    /// <summary>A token that is not a fully-qualified name (a Windows computer name, an underscore...).</summary>
    NotFqdn,
    /// <summary>An address literal such as [192.0.2.1] (allowed by RFC 5321).</summary>
    AddressLiteral,
    /// <summary>Asterisks: a firewall's SMTP inspection (Cisco ASA/PIX) masked the banner.</summary>
    Masked,
    /// <summary>No host at all (e.g. "220 ESMTP"), or no greeting was read.</summary>
    Missing,
}

/// <summary>How a probe ended.</summary>
public enum SmtpProbeStatus
{
    /// <summary>A 220 greeting was read (and EHLO/QUIT exchanged as asked).</summary>
    Ok,
    /// <summary>The server greeted with a 5xx reply (554: no SMTP service here).</summary>
    Rejected,
    /// <summary>The server greeted with 421 (too many connections, try later).</summary>
    Busy,
    /// <summary>The exchange did not finish within the timeout (no or too slow a greeting or reply).</summary>
    Timeout,
    /// <summary>The TCP connection could not be made (refused, unreachable).</summary>
    ConnectionRefused,
    /// <summary>The server closed or reset the connection before a reply was complete.</summary>
    ConnectionReset,
    /// <summary>The server sent something that is not an SMTP reply, or too much of it.</summary>
    ProtocolError,
}

/// <summary>Why the bytes read are not (yet) a complete, well-formed reply.</summary>
public enum SmtpReplyProblem
{
    /// <summary>A complete, well-formed reply.</summary>
    None,
    /// <summary>The bytes ended before the final line of the reply.</summary>
    Incomplete,
    /// <summary>A line ran past the line-length limit without a line end.</summary>
    LineTooLong,
    /// <summary>More lines than the line-count limit.</summary>
    TooManyLines,
    /// <summary>More bytes than the total limit.</summary>
    TooLarge,
    /// <summary>A line does not start with a three-digit reply code and a space or hyphen.</summary>
    Malformed,
    /// <summary>The lines of one reply carry different reply codes.</summary>
    MixedCodes,
}
