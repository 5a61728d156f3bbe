<#
.SYNOPSIS
    The main job on the lab: Import-Csv hosts.csv | Test-MailIdentity, on real BIND9 and SMTP servers on loopback.
#>
param([string] $Root = (Split-Path (Split-Path $PSScriptRoot -Parent) -Parent))
$ErrorActionPreference = 'Stop'
. (Join-Path $Root 'tests/lab/Lab.ps1')
$lab = Start-MailLab
try {
    Import-Module (Join-Path $Root 'MailIdentity.psd1') -Force
    $csv = Join-Path $lab.Directory 'hosts.csv'
    & (Join-Path $Root 'tests/lab/New-LabHostsCsv.ps1') -Path $csv
    Write-Host "`nLab: BIND9 on $($lab.DnsServer), SMTP servers on 127.0.1.x port $($lab.SmtpPort). Input: $csv"
    Write-Host "`nPS> Import-Csv hosts.csv | Test-MailIdentity -DnsServer $($lab.DnsServer) -TimeoutSeconds 15`n"
    $reports = Import-Csv $csv | Test-MailIdentity -DnsServer $lab.DnsServer -TimeoutSeconds 15
    $reports | Format-Table -AutoSize | Out-String -Width 160 | Write-Host
    Write-Host "What to fix, finding by finding (Fail and Warning):`n"
    foreach ($r in $reports | Where-Object Status -in 'Fail', 'Warning') {
        Write-Host "== $($r.IPAddress) $($r.Domain): $($r.Status)"
        foreach ($f in $r.Findings | Where-Object Severity -in 'Fail', 'Warning') {
            Write-Host "   [$($f.Severity)] $($f.RuleId) $($f.RuleName): $($f.Message)"
            if ($f.Remediation) { Write-Host "      Fix: $($f.Remediation)" }
        }
    }
    $out = Join-Path $lab.Directory 'report.csv'
    $reports | Export-Csv $out -NoTypeInformation
    Write-Host "`nExport-Csv wrote $out ($((Import-Csv $out).Count) rows)."
}
finally {
    Stop-MailLab
}
