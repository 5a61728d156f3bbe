# Shared by the Pester tests: import the BUILT module and make sure the lab runs.
Set-StrictMode -Version Latest
$script:RepoRoot = Split-Path $PSScriptRoot -Parent

function Import-BuiltModule {
    $psd1 = Join-Path $script:RepoRoot 'MailIdentity.psd1'
    if (-not (Test-Path (Join-Path $script:RepoRoot 'bin/MailIdentity.dll'))) {
        throw "The module is not built. Run: dotnet pwsh ./build.ps1 -Task Build"
    }
    Import-Module $psd1 -Force -ErrorAction Stop
}

function Get-TestLab {
    <# Starts the lab unless it runs (build.ps1 Test starts it once for all files); returns its state and data. #>
    . (Join-Path $script:RepoRoot 'tests/lab/Lab.ps1')
    $state = Start-MailLab
    $data = Get-LabData -Path $state.DataFile
    [pscustomobject]@{
        DnsServer = $state.DnsServer
        SmtpPort  = $state.SmtpPort
        Data      = $data
        Hosts     = @{} + ($data.hosts | Group-Object id -AsHashTable)
    }
}

function Get-LabHost {
    param([Parameter(Mandatory)] $Lab, [Parameter(Mandatory)][string] $Id)
    $Lab.Data.hosts | Where-Object id -eq $Id
}
