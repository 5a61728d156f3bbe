<#
.SYNOPSIS
    Writes the lab's mail hosts as the CSV an admin would feed to Test-MailIdentity.
.DESCRIPTION
    One row per lab scenario host (IP, Domain, Port, Expected; hosts without an expected status, the fault hosts F01.., are left out); a host with sharedWith gets a row per extra domain
    (the shared-IP case); a host with hostName gets a HostName-only row (test every address of the name).
#>
param([Parameter(Mandatory)][string] $Path, [string] $DataFile = (Join-Path $PSScriptRoot 'lab-hosts.json'))
$lab = Get-Content $DataFile -Raw | ConvertFrom-Json
$rows = foreach ($h in $lab.hosts | Where-Object { $_.expect.PSObject.Properties['status'] }) {
    if ($h.PSObject.Properties['hostName']) {
        [pscustomobject]@{ Id = $h.id; IP = ''; HostName = $h.hostName; Domain = $h.domain; Port = $lab.smtpPort; Expected = $h.expect.status; Case = $h.summary }
    }
    else {
        [pscustomobject]@{ Id = $h.id; IP = $h.ip; HostName = ''; Domain = $h.domain; Port = $lab.smtpPort; Expected = $h.expect.status; Case = $h.summary }
    }
    if ($h.PSObject.Properties['sharedWith']) {
        foreach ($d in $h.sharedWith) {
            [pscustomobject]@{ Id = "$($h.id)b"; IP = $h.ip; HostName = ''; Domain = $d; Port = $lab.smtpPort; Expected = 'Info'; Case = "same IP as $($h.domain)" }
        }
    }
}
$rows | Export-Csv -LiteralPath $Path -NoTypeInformation
