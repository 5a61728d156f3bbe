using System;
using System.Collections.Generic;
using System.Net;

namespace MailIdentity.Smtp;

/// <summary>
/// What one SMTP server said when greeted (the output of Get-SmtpBanner). Every text property is escaped
/// for display: the server cannot reach the terminal through it. The bytes as sent stay in RawGreeting.
/// </summary>
public sealed class SmtpProbeResult
{
    internal SmtpProbeResult(string target, IPAddress address, int port)
    {
        Target = target;
        IPAddress = address;
        Port = port;
        RemoteEndPoint = new IPEndPoint(address, port).ToString();
    }

    /// <summary>The input probed: a host name or an IP address as given.</summary>
    public string Target { get; }

    /// <summary>The address connected to.</summary>
    public IPAddress IPAddress { get; }

    /// <summary>The TCP port connected to.</summary>
    public int Port { get; }

    /// <summary>The address and port as text: 192.0.2.25:25 or [2001:db8::25]:25.</summary>
    public string RemoteEndPoint { get; }

    /// <summary>How the probe ended: Ok, Rejected (5xx greeting), Busy (421), Timeout, ConnectionRefused, ConnectionReset, ProtocolError.</summary>
    public SmtpProbeStatus Status { get; internal set; } = SmtpProbeStatus.ProtocolError;

    /// <summary>The greeting's reply code (220, 421, 554); null when no greeting line was read.</summary>
    public int? ReplyCode { get; internal set; }

    /// <summary>Every greeting line, code included, escaped for display.</summary>
    public IReadOnlyList<string> GreetingLines { get; internal set; } = Array.Empty<string>();

    /// <summary>The greeting's bytes exactly as received (bounded). Never print these to a terminal.</summary>
    public byte[] RawGreeting { get; internal set; } = Array.Empty<byte>();

    /// <summary>The host named by the greeting's first line, lower case, escaped; null when Masked or Missing.</summary>
    public string? BannerHost { get; internal set; }

    /// <summary>Fqdn, NotFqdn, AddressLiteral, Masked or Missing.</summary>
    public BannerHostKind BannerHostKind { get; internal set; } = BannerHostKind.Missing;

    /// <summary>The server software recognised from the greeting and EHLO reply.</summary>
    public ServerSoftware Software { get; internal set; }

    /// <summary>The software version when the server shows it (Exim, Sendmail, Haraka); else null.</summary>
    public string? SoftwareVersion { get; internal set; }

    /// <summary>The command that was answered: EHLO, HELO (after EHLO was refused) or null when none was sent.</summary>
    public string? HeloCommand { get; internal set; }

    /// <summary>The name this probe sent with EHLO/HELO.</summary>
    public string? HeloName { get; internal set; }

    /// <summary>The EHLO (or HELO) reply code; null when none was read.</summary>
    public int? EhloCode { get; internal set; }

    /// <summary>The host the server names in its EHLO reply, lower case, escaped; null when none.</summary>
    public string? EhloHost { get; internal set; }

    /// <summary>The EHLO reply's extension lines ("SIZE 10240000", "STARTTLS", "AUTH PLAIN LOGIN"), escaped.</summary>
    public IReadOnlyList<string> Extensions { get; internal set; } = Array.Empty<string>();

    /// <summary>True when the EHLO reply lists STARTTLS.</summary>
    public bool StartTlsOffered { get; internal set; }

    /// <summary>TLS details when STARTTLS was asked for and offered; null otherwise.</summary>
    public SmtpTlsDetails? Tls { get; internal set; }

    /// <summary>The time to open the TCP connection.</summary>
    public TimeSpan ConnectTime { get; internal set; }

    /// <summary>The time from the open connection to the end of the greeting (postscreen makes this ~6 s).</summary>
    public TimeSpan GreetingTime { get; internal set; }

    /// <summary>The time of the whole exchange.</summary>
    public TimeSpan TotalTime { get; internal set; }

    /// <summary>The conversation, swaks style: "&lt;- " server lines, "-&gt; " client lines, "=== " notes; escaped.</summary>
    public IReadOnlyList<string> Transcript { get; internal set; } = Array.Empty<string>();

    /// <summary>What went wrong when Status is not Ok, in words; null otherwise.</summary>
    public string? ErrorMessage { get; internal set; }

    /// <summary>The greeting lines joined into one line, for tables and CSV.</summary>
    public string Greeting => string.Join(" ", GreetingLines);

    public override string ToString() => $"{RemoteEndPoint} {Status} {Greeting}";
}
