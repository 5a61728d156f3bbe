using System;
using System.Collections.Generic;
using System.Net;

namespace MailIdentity.Rules;

/// <summary>One address to check, with what the admin told us about it.</summary>
public sealed class IdentityTarget
{
    public IdentityTarget(IPAddress address, string input)
    {
        IPAddress = address ?? throw new ArgumentNullException(nameof(address));
        Input = input;
    }

    /// <summary>The sending IP to check.</summary>
    public IPAddress IPAddress { get; }

    /// <summary>The input the address came from (an IP, a host name, a domain), for messages.</summary>
    public string Input { get; }

    /// <summary>The name the server should be known by (-HostName), if given.</summary>
    public string? HostName { get; init; }

    /// <summary>The mail domain (-Domain), if given.</summary>
    public string? Domain { get; init; }

    /// <summary>The HELO/EHLO name the server uses when it sends (-HeloName), if given.</summary>
    public string? HeloName { get; init; }

    /// <summary>The SMTP port to probe.</summary>
    public int Port { get; init; } = 25;

    /// <summary>The host name to use for SMTP (SNI, certificate check); the IP when none.</summary>
    public string SmtpTarget => string.IsNullOrEmpty(HostName) ? IPAddress.ToString() : HostName!;

    public override string ToString() =>
        Input == IPAddress.ToString() ? Input : $"{IPAddress} (from {Input})";

    /// <summary>Other domains seen with this IP earlier in the same run (shared IP).</summary>
    public IReadOnlyList<string> SharedWithDomains { get; init; } = Array.Empty<string>();
}
