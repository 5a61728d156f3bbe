using System;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailIdentity.Text;

namespace MailIdentity.Smtp;

/// <summary>
/// Greets one SMTP server the way swaks --quit-after EHLO does: connect, read the whole greeting, EHLO
/// (HELO when EHLO is refused), optionally STARTTLS and EHLO again, then QUIT. It never sends MAIL, RCPT,
/// DATA or AUTH. The whole exchange is bounded by <see cref="SmtpProbeOptions.Timeout"/> and every reply
/// by <see cref="SmtpProbeOptions.ReplyLimits"/>; a server that drips, floods or stalls cannot hold it.
/// </summary>
public sealed class SmtpProbe
{
    private static readonly Lazy<string?> MachineFqdn = new(FindMachineFqdn);
    private readonly SmtpProbeOptions _options;

    /// <summary>Creates a probe; throws ArgumentException for a port, timeout or HELO name that cannot work.</summary>
    public SmtpProbe(SmtpProbeOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.Port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Port, "The SMTP port must be between 1 and 65535.");
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Timeout, "The SMTP timeout must be positive.");
        }

        if (options.HeloName is not null && !IsValidHeloName(options.HeloName))
        {
            throw new ArgumentException($"'{DisplayText.Escape(options.HeloName)}' cannot be sent with EHLO: give a host name or an address literal without spaces or control characters.", nameof(options));
        }
    }

    /// <summary>This machine's FQDN when it has one, from local configuration only (no DNS query); else null.</summary>
    public static string? DefaultHeloName => MachineFqdn.Value;

    /// <summary>
    /// True for text that can follow EHLO: 1 to 255 printable ASCII characters without spaces, so it can
    /// never smuggle a second command (CR/LF) into the session.
    /// </summary>
    public static bool IsValidHeloName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name!.Length > 255)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c <= ' ' || c >= 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Probes <paramref name="address"/> on the configured port. Network and protocol failures come back
    /// as the result's Status; only cancelling <paramref name="cancellationToken"/> throws
    /// (OperationCanceledException). <paramref name="transcriptLine"/> receives each transcript line as it
    /// happens (already escaped).
    /// </summary>
    public Task<SmtpProbeResult> ProbeAsync(string target, IPAddress address, CancellationToken cancellationToken, Action<string>? transcriptLine = null)
    {
        if (address is null)
        {
            throw new ArgumentNullException(nameof(address));
        }

        return new SmtpSession(_options, target ?? address.ToString(), address, transcriptLine).RunAsync(cancellationToken);
    }

    /// <summary>The address literal RFC 5321 asks for when the client has no name: [192.0.2.1] or [IPv6:2001:db8::1].</summary>
    public static string AddressLiteral(IPAddress address)
    {
        if (address is null)
        {
            return "[127.0.0.1]";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? "[IPv6:" + new IPAddress(address.GetAddressBytes()) + "]"
            : "[" + address + "]";
    }

    private static string? FindMachineFqdn()
    {
        try
        {
            // Local configuration only: gethostname() and the configured domain, never a DNS lookup.
            var host = System.Net.Dns.GetHostName();
            var domain = IPGlobalProperties.GetIPGlobalProperties().DomainName;
            var name = host.IndexOf('.') < 0 && !string.IsNullOrEmpty(domain) && domain != "(none)" ? host + "." + domain : host;
            return HostName.IsFqdn(name) ? HostName.Normalize(name) : null;
        }
        catch (Exception ex) when (ex is SocketException or NetworkInformationException or PlatformNotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }
}
