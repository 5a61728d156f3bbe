using System;
using System.Collections.Generic;

namespace MailIdentity.Smtp;

/// <summary>
/// What STARTTLS negotiated and what the server's certificate says. A bad certificate is recorded here as
/// a finding (IsValid false, ChainStatus, PolicyErrors), never thrown; a failed handshake sets Error.
/// </summary>
public sealed class SmtpTlsDetails
{
    internal SmtpTlsDetails()
    {
    }

    /// <summary>The negotiated protocol (Tls12, Tls13); null when the handshake failed.</summary>
    public string? Protocol { get; internal set; }

    /// <summary>The negotiated cipher suite (e.g. TLS_AES_256_GCM_SHA384); null when the handshake failed.</summary>
    public string? CipherSuite { get; internal set; }

    /// <summary>The certificate subject (escaped for display).</summary>
    public string? Subject { get; internal set; }

    /// <summary>The certificate's DNS names and IP addresses (subjectAltName), escaped for display.</summary>
    public IReadOnlyList<string> SubjectAlternativeNames { get; internal set; } = Array.Empty<string>();

    /// <summary>The certificate issuer (escaped for display).</summary>
    public string? Issuer { get; internal set; }

    /// <summary>The start of the certificate's validity (UTC).</summary>
    public DateTime? NotBefore { get; internal set; }

    /// <summary>The end of the certificate's validity (UTC).</summary>
    public DateTime? NotAfter { get; internal set; }

    /// <summary>The SHA-1 thumbprint of the certificate, hex.</summary>
    public string? Thumbprint { get; internal set; }

    /// <summary>The chain problems as "Status: information" (UntrustedRoot, NotTimeValid, ...); empty when none.</summary>
    public IReadOnlyList<string> ChainStatus { get; internal set; } = Array.Empty<string>();

    /// <summary>The validation errors reported by the TLS stack (None, RemoteCertificateNameMismatch, ...).</summary>
    public string? PolicyErrors { get; internal set; }

    /// <summary>True when the handshake completed and the certificate validated for the name asked (no policy errors).</summary>
    public bool IsValid { get; internal set; }

    /// <summary>True when the certificate names the host of the greeting; null when there is no banner host or no certificate.</summary>
    public bool? NamesBannerHost { get; internal set; }

    /// <summary>True when the certificate names the host (or IP) that was connected to; null without a certificate.</summary>
    public bool? NamesTarget { get; internal set; }

    /// <summary>The name sent as SNI and validated against.</summary>
    public string? TargetHost { get; internal set; }

    /// <summary>The extensions listed by the EHLO sent after TLS (escaped for display).</summary>
    public IReadOnlyList<string> Extensions { get; internal set; } = Array.Empty<string>();

    /// <summary>True when STARTTLS was accepted but the TLS handshake failed (the connection was lost).</summary>
    public bool HandshakeFailed { get; internal set; }

    /// <summary>Why TLS could not be used (STARTTLS refused, handshake failed); null when it worked.</summary>
    public string? Error { get; internal set; }

    public override string ToString() => Error ?? $"{Protocol} {CipherSuite} {Subject}";
}
