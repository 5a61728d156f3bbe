<#
    Starts and stops the fault DNS server (MailIdentity.FaultDns) out of process, for Pester tests and by hand.
    It must be built first: ./build.ps1 -Task Build (or dotnet build tests/MailIdentity.FaultDns -c Release).

    $dns = Start-FaultDns -Record 'mail.example.test A 127.0.0.10' -Fault 'bad.example.test=servfail'
    Get-PtrRecord 127.0.0.10 -DnsServer $dns.Server
    $dns | Stop-FaultDns
#>
Set-StrictMode -Version Latest

function Start-FaultDns {
    <#
    .SYNOPSIS
    Starts a fault DNS server on loopback; returns Server ('127.0.0.1:port'), Address, Port and Process.
    .PARAMETER Listen
    ip[:port] on loopback. Port 0 (the default) picks a free port; read it from the result's Server.
    .PARAMETER Record
    Zone lines "name TYPE data" (A, AAAA, PTR, CNAME, MX), as in tests/lab/lab-hosts.json records.
    .PARAMETER Fault
    Rules "name=rule": servfail, refused, nxdomain, rcode:<n>, drop, slow:<ms>, truncate, truncate-tcp-drop, large,
    malformed, pointer-loop, garbage, wrong-id, cname-loop[:<partner>], cname-only. name: exact, *.zone or *.
    .PARAMETER ZoneFile
    A file of zone lines.
    .PARAMETER LabHosts
    A lab-hosts.json whose ptr, records, extraRecords and servfailZones are served.
    .PARAMETER MaxLifetimeSeconds
    The server stops by itself after this long, so a failed test run cannot leave it behind.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [string] $Listen = '127.0.0.1:0',
        [string[]] $Record = @(),
        [string[]] $Fault = @(),
        [string] $ZoneFile,
        [string] $LabHosts,
        [ValidateRange(1, 86400)] [int] $MaxLifetimeSeconds = 900,
        [ValidateRange(1, 120)] [int] $StartTimeoutSeconds = 30,
        [string] $Configuration = 'Release'
    )
    $dll = Join-Path $PSScriptRoot "bin/$Configuration/net10.0/MailIdentity.FaultDns.dll"
    if (-not (Test-Path -LiteralPath $dll)) {
        throw "The fault DNS server is not built ($dll). Run ./build.ps1 -Task Build or dotnet build tests/MailIdentity.FaultDns -c $Configuration."
    }

    $hostPath = if ($env:DOTNET_HOST_PATH) { $env:DOTNET_HOST_PATH } else { 'dotnet' }
    $info = [System.Diagnostics.ProcessStartInfo]::new($hostPath)
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $arguments = [System.Collections.Generic.List[string]]::new()
    $arguments.AddRange([string[]]@($dll, '--listen', $Listen, '--max-lifetime', "$MaxLifetimeSeconds"))
    foreach ($r in $Record) { $arguments.AddRange([string[]]@('--record', $r)) }
    foreach ($f in $Fault) { $arguments.AddRange([string[]]@('--fault', $f)) }
    if ($ZoneFile) { $arguments.AddRange([string[]]@('--zone', (Resolve-Path -LiteralPath $ZoneFile).Path)) }
    if ($LabHosts) { $arguments.AddRange([string[]]@('--lab-hosts', (Resolve-Path -LiteralPath $LabHosts).Path)) }
    foreach ($a in $arguments) { $info.ArgumentList.Add($a) }

    $process = [System.Diagnostics.Process]::Start($info)
    # Drain stderr in the background so the server never blocks on a full pipe; keep it for error messages.
    $stderr = $process.StandardError.ReadToEndAsync()
    $line = $process.StandardOutput.ReadLineAsync()
    if (-not $line.Wait([TimeSpan]::FromSeconds($StartTimeoutSeconds)) -or $null -eq $line.Result -or
        $line.Result -notmatch '^FaultDns listening on (?<server>\S+)$') {
        if (-not $process.HasExited) { $process.Kill() }
        $null = $process.WaitForExit(5000)
        $why = if ($stderr.Wait(2000)) { $stderr.Result.Trim() } else { '' }
        $process.Dispose()
        throw "The fault DNS server did not start (listen '$Listen'): $why"
    }

    $server = $Matches['server']
    $colon = $server.LastIndexOf(':')
    [pscustomobject]@{
        PSTypeName = 'MailIdentity.FaultDnsServer'
        Server     = $server
        Address    = $server.Substring(0, $colon).Trim('[', ']')
        Port       = [int]$server.Substring($colon + 1)
        Process    = $process
        StandardError = $stderr
    }
}

function Stop-FaultDns {
    <#
    .SYNOPSIS
    Stops a server started by Start-FaultDns and waits for it to exit.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] [pscustomobject] $Server)
    process {
        $p = $Server.Process
        if ($null -eq $p) { return }
        try {
            if (-not $p.HasExited) {
                $p.Kill()
                $null = $p.WaitForExit(10000)
            }
        }
        finally {
            $p.Dispose()
        }
    }
}

Export-ModuleMember -Function Start-FaultDns, Stop-FaultDns
