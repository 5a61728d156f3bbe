using System.Net;
using MailIdentity.Naming;
using MailIdentity.Smtp;

namespace MailIdentity.Rules;

/// <summary>Concrete fixes, in the detected server software's own terms, with the exact names to set.</summary>
internal static class Remediation
{
    /// <summary>How to make the server's greeting (220 banner) show <paramref name="name"/>.</summary>
    public static string SetBannerHost(ServerSoftware software, string name) => software switch
    {
        ServerSoftware.Postfix =>
            $"Postfix: run 'postconf -e myhostname={name}' (the default smtpd_banner is '$myhostname ESMTP $mail_name'; if smtpd_banner was customised, make it start with $myhostname), then 'postfix reload'.",
        ServerSoftware.Exim =>
            $"Exim: set 'primary_hostname = {name}' in the main section of the Exim configuration (and keep smtp_banner starting with $smtp_active_hostname), then restart Exim. On cPanel/WHM: WHM > Networking Setup > Change Hostname to {name}, and in the Exim Configuration Manager set the SMTP banner to that name.",
        ServerSoftware.Exchange =>
            $"Exchange: in the Exchange Management Shell run 'Get-ReceiveConnector | Where-Object Bindings -match \":25$\" | Set-ReceiveConnector -Fqdn {name} -Banner \"220 {name}\"' (the Default Frontend connector answers on port 25), then restart the MSExchangeFrontEndTransport service.",
        ServerSoftware.Microsoft365 =>
            $"Microsoft 365 names its own front-end servers; the greeting cannot be changed. Check that your MX and the IP you test belong to your tenant's connector ({name}).",
        ServerSoftware.HMailServer =>
            $"hMailServer: Settings > Protocols > SMTP > General > Welcome message: '{name} ESMTP' and Settings > Protocols > SMTP > Delivery of e-mail > Local host name: {name}; save (no restart needed).",
        ServerSoftware.Sendmail =>
            $"Sendmail: add \"define(`confDOMAIN_NAME', `{name}')dnl\" to sendmail.mc (the greeting is SmtpGreetingMessage, default '$j Sendmail ...'), rebuild sendmail.cf with m4 and restart sendmail.",
        ServerSoftware.OpenSmtpd =>
            $"OpenSMTPD: add 'hostname {name}' to the 'listen on' lines in smtpd.conf, then 'rcctl restart smtpd' (or systemctl restart opensmtpd).",
        ServerSoftware.Haraka =>
            $"Haraka: write {name} into config/me and restart Haraka.",
        ServerSoftware.Qmail =>
            $"qmail: write {name} into /var/qmail/control/me and /var/qmail/control/smtpgreeting, then restart qmail-smtpd.",
        ServerSoftware.MDaemon =>
            $"MDaemon: Setup > Server Settings > Domain Manager: set the domain's SMTP host name to {name}.",
        _ =>
            $"Set the MTA's host name (the name in its 220 greeting) to {name} and restart or reload it.",
    };

    /// <summary>How to make the server announce <paramref name="name"/> in HELO/EHLO when it sends.</summary>
    public static string SetHeloName(ServerSoftware software, string name) => software switch
    {
        ServerSoftware.Postfix =>
            $"Postfix: run 'postconf -e smtp_helo_name={name}' (default $myhostname; or set 'postconf -e myhostname={name}'), then 'postfix reload'.",
        ServerSoftware.Exim =>
            $"Exim: in the remote_smtp transport set 'helo_data = {name}' (default $primary_hostname), then restart Exim. On cPanel/WHM: Exim Configuration Manager > Basic Editor > 'Reverse DNS HELO' or /etc/mailhelo.",
        ServerSoftware.Exchange =>
            $"Exchange: run 'Set-SendConnector \"<your send connector>\" -Fqdn {name}' in the Exchange Management Shell.",
        ServerSoftware.HMailServer =>
            $"hMailServer: Settings > Protocols > SMTP > Delivery of e-mail > Local host name: {name}.",
        ServerSoftware.Sendmail =>
            $"Sendmail: the HELO name is $j: add \"define(`confDOMAIN_NAME', `{name}')dnl\" to sendmail.mc, rebuild and restart.",
        ServerSoftware.OpenSmtpd =>
            $"OpenSMTPD: add 'helo {name}' to the relay action in smtpd.conf, then restart smtpd.",
        _ =>
            $"Set the name the MTA sends in HELO/EHLO to {name}.",
    };

    /// <summary>How to get the PTR of <paramref name="address"/> set to <paramref name="name"/>.</summary>
    public static string SetPtr(IPAddress address, string name, GenericPtrVerdict? generic)
    {
        var who = generic?.CloudProvider is { } cloud
            ? $"{cloud}, which owns {address}: {generic.RdnsAdvice}"
            : $"whoever owns {address} (your hosting provider or ISP; 'whois {address}' names them): only the owner of the reverse zone can set a PTR";
        return $"Have the PTR of {address} set to {name} (PTR {ReverseNameFor(address)} -> {name}.). Ask {who}. {name} must also resolve (A/AAAA) to {address}.";
    }

    /// <summary>How to give <paramref name="name"/> an address record for <paramref name="address"/>.</summary>
    public static string SetAddressRecord(string name, IPAddress address)
    {
        var type = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "AAAA" : "A";
        return $"In the DNS zone of {name}, create '{name}. IN {type} {address}' (and remove {type} records that point elsewhere, unless the name is also used by other servers).";
    }

    private static string ReverseNameFor(IPAddress address) => Dns.ReverseName.For(address);
}
