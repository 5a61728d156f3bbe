using System;
using System.Collections.Generic;
using System.Linq;

namespace MailIdentity.Rules;

/// <summary>Every alignment rule the module knows, in evaluation order.</summary>
public static class RuleCatalog
{
    public static readonly AlignmentRule PtrPresent = new("MI0101", "PtrPresent", Severity.Fail,
        "The sending IP has a PTR (reverse DNS) record. Gmail, Outlook.com and Postfix's reject_unknown_client_hostname reject or distrust mail from an IP without one.",
        "Ask whoever owns the IP address (hosting provider, ISP, cloud provider) to set its PTR to the server's host name.",
        "always");

    public static readonly AlignmentRule SinglePtr = new("MI0102", "SinglePtr", Severity.Warning,
        "The IP has exactly one PTR record. With several, receivers pick one at random and only one can match the greeting and EHLO names.",
        "Ask the IP owner to remove all PTR records but the one that names the mail server.",
        "when a PTR exists");

    public static readonly AlignmentRule PtrIsFqdn = new("MI0103", "PtrIsFqdn", Severity.Fail,
        "The PTR name is a fully-qualified host name, not a bare IP address or a single label.",
        "Ask the IP owner to set the PTR to a fully-qualified name such as mail.example.com.",
        "when a PTR exists");

    public static readonly AlignmentRule PtrNotGeneric = new("MI0104", "PtrNotGeneric", Severity.Warning,
        "The PTR name does not look generic or dynamic (IP octets in the name, dyn/dhcp/pool/dsl, cloud defaults). SpamAssassin (RDNS_DYNAMIC) and Rspamd (hfilter) score such names.",
        "Set a PTR that names the mail server (for example mail.example.com) instead of the provider's default.",
        "when a PTR exists");

    public static readonly AlignmentRule ForwardConfirmedRdns = new("MI0105", "ForwardConfirmedRdns", Severity.Fail,
        "A PTR name resolves (A/AAAA) back to the IP: forward-confirmed reverse DNS. Postfix's reject_unknown_client_hostname and Gmail require it.",
        "Make the PTR name's A (IPv4) or AAAA (IPv6) record point at the sending IP, or change the PTR to a name that does.",
        "when a PTR exists");

    public static readonly AlignmentRule GreetingReceived = new("MI0201", "GreetingReceived", Severity.Fail,
        "The server answers on the SMTP port with a 220 greeting.",
        "Check that the MTA runs, listens on the port and that no firewall blocks it; a 4xx/5xx greeting says why the server refuses.",
        "unless -SkipSmtp");

    public static readonly AlignmentRule BannerHasHost = new("MI0202", "BannerHasHost", Severity.Warning,
        "The 220 greeting names the server's host (RFC 5321 4.2), not a masked (*****) or empty banner.",
        "Name the host in the greeting; if a firewall masks it (Cisco ASA/PIX 'inspect esmtp'), disable the banner obfuscation.",
        "when a greeting was received");

    public static readonly AlignmentRule BannerMatchesPtr = new("MI0203", "BannerMatchesPtr", Severity.Fail,
        "The host in the 220 greeting is a PTR name of the IP (case-insensitive). Only the registrable domain matching is a Warning.",
        "Make the greeting host and the PTR the same name: change the MTA's host name, or have the PTR changed.",
        "when a greeting with a host and a PTR exist");

    public static readonly AlignmentRule BannerHostIsFqdn = new("MI0204", "BannerHostIsFqdn", Severity.Warning,
        "The host in the greeting is a fully-qualified domain name, not a Windows computer name or an address literal.",
        "Configure the MTA's host name as a fully-qualified name.",
        "when the greeting names a host");

    public static readonly AlignmentRule BannerHostResolvesToIp = new("MI0205", "BannerHostResolvesToIp", Severity.Warning,
        "The host in the greeting resolves (A/AAAA) to the IP that was connected to.",
        "Create an A (or AAAA) record for the greeting host pointing at the server's IP.",
        "when the greeting names a host");

    public static readonly AlignmentRule EhloMatchesPtr = new("MI0301", "EhloMatchesPtr", Severity.Warning,
        "The host the server names in its EHLO reply is a PTR name of the IP.",
        "Set the MTA's host name to the PTR name.",
        "when the EHLO reply names a host and a PTR exists");

    public static readonly AlignmentRule HeloNameMatchesPtr = new("MI0302", "HeloNameMatchesPtr", Severity.Fail,
        "The name the server announces in HELO/EHLO when it SENDS (given with -HeloName) is a PTR name and resolves to the IP. Receivers compare it with the PTR (Rspamd hfilter, Postfix reject_unknown_helo_hostname).",
        "Set the sending HELO name to the PTR name and give that name an A/AAAA record.",
        "only with -HeloName");

    public static readonly AlignmentRule MxPointsToHost = new("MI0401", "MxPointsToHost", Severity.Fail,
        "The mail domain has an MX record that points at this server (its PTR or greeting name, or a name that resolves to the IP).",
        "Publish an MX record for the domain that names the server's host name.",
        "only with -Domain");

    public static readonly AlignmentRule StartTlsOffered = new("MI0501", "StartTlsOffered", Severity.Warning,
        "The server offers STARTTLS in its EHLO reply.",
        "Enable STARTTLS with a certificate for the server's host name.",
        "when the EHLO reply was received");

    public static readonly AlignmentRule CertificateNamesHost = new("MI0502", "CertificateNamesHost", Severity.Warning,
        "The STARTTLS certificate is valid and names the greeting host.",
        "Install a certificate whose subject or SAN is the greeting host, issued by a public CA, not expired.",
        "only with -StartTls, when STARTTLS is offered");

    public static readonly AlignmentRule SharedIpDomains = new("MI0601", "SharedIpDomains", Severity.Info,
        "Several domains in this run send from the same IP; one PTR can name only one host, so the others' names cannot match it.",
        "Let all domains on the IP use the one host name of the PTR in HELO and greeting, or give each domain its own IP.",
        "when several input rows share one IP");

    /// <summary>All rules, in evaluation order.</summary>
    public static IReadOnlyList<AlignmentRule> All { get; } = new[]
    {
        PtrPresent, SinglePtr, PtrIsFqdn, PtrNotGeneric, ForwardConfirmedRdns,
        GreetingReceived, BannerHasHost, BannerMatchesPtr, BannerHostIsFqdn, BannerHostResolvesToIp,
        EhloMatchesPtr, HeloNameMatchesPtr, MxPointsToHost, StartTlsOffered, CertificateNamesHost, SharedIpDomains,
    };

    /// <summary>Finds a rule by id or name (case-insensitive); null when none.</summary>
    public static AlignmentRule? Find(string idOrName) =>
        All.FirstOrDefault(r => string.Equals(r.Id, idOrName, StringComparison.OrdinalIgnoreCase) ||
                                string.Equals(r.Name, idOrName, StringComparison.OrdinalIgnoreCase));
}
