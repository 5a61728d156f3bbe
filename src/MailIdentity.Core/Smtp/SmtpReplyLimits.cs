namespace MailIdentity.Smtp;

/// <summary>
/// Bounds on one reply read from an untrusted server. RFC 5321 allows 512 octets a reply line; the
/// defaults are generous for real servers and small enough that a hostile one cannot grow memory.
/// </summary>
public sealed class SmtpReplyLimits
{
    /// <summary>The defaults: 2048 bytes a line, 100 lines, 64 KiB a reply.</summary>
    public static SmtpReplyLimits Default { get; } = new();

    /// <summary>The longest line, in bytes, without its line end.</summary>
    public int MaxLineLength { get; init; } = 2048;

    /// <summary>The most lines in one reply.</summary>
    public int MaxLines { get; init; } = 100;

    /// <summary>The most bytes in one reply, line ends included.</summary>
    public int MaxTotalBytes { get; init; } = 64 * 1024;
}
