@{
    RootModule             = 'bin/MailIdentity.dll'
    ModuleVersion          = '0.1.0'
    CompatiblePSEditions   = @('Desktop', 'Core')
    GUID                   = '5f0c6d2e-8a4b-4c47-9a35-3d7e1f6b2a91'
    Author                 = 'MailIdentity contributors'
    CompanyName            = 'MailIdentity'
    Copyright              = '(c) MailIdentity contributors. Apache License 2.0.'
    Description            = 'Finds and explains why a mail server''s identity does not add up: missing or generic PTR records, failed forward-confirmed reverse DNS, SMTP greeting and EHLO names that differ from the PTR, MX records that point elsewhere, and shared IPs. Each finding comes with a severity, an explanation and a remediation in the detected server software''s own terms (Postfix, Exim, Exchange, hMailServer, Sendmail).'
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('bin/MailIdentity.Format.ps1xml')
    CmdletsToExport        = @(
        'Get-PtrRecord'
        'Test-ForwardConfirmedRdns'
        'Test-MailIdentity'
        'Get-MailIdentityRule'
        'Get-SmtpBanner'
    )
    FunctionsToExport      = @()
    AliasesToExport        = @()
    VariablesToExport      = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('SMTP', 'DNS', 'PTR', 'rDNS', 'FCrDNS', 'ReverseDNS', 'Email', 'Mail', 'Postfix', 'Exchange', 'Exim', 'Deliverability', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux')
            LicenseUri   = 'https://www.apache.org/licenses/LICENSE-2.0'
            ProjectUri   = 'https://example.com/mailidentity'
            ReleaseNotes = @'
0.1.0
- Get-PtrRecord, Test-ForwardConfirmedRdns: PTR and forward-confirmed reverse DNS, IPv4 and IPv6, RFC 2317 CNAMEs.
- Get-SmtpBanner: SMTP greeting, EHLO reply, server software and STARTTLS certificate, bounded and escaped.
- Test-MailIdentity: rules MI0101-MI0601 (PTR, FCrDNS, greeting, EHLO, HELO, MX, TLS, shared IP) with remediations
  in the detected server software's terms; CSV in and out; -Quiet for scheduled checks.
- Get-MailIdentityRule, offline help (Get-Help <cmdlet> -Full, about_MailIdentity, about_MailIdentity_Rules),
  format views. Full list: CHANGELOG.md.
'@
        }
    }
}
