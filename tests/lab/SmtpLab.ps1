#requires -Version 7.2
<#
.SYNOPSIS
    The lab's fake SMTP server (tests/MailIdentity.LabServer): serves every lab host whose smtp.server is
    "fake", and ad-hoc hosts for tests, on loopback only.
.DESCRIPTION
    Start-SmtpLab / Stop-SmtpLab are called by Start-MailLab / Stop-MailLab (Lab.ps1). Start-SmtpFakeServer
    runs a separate instance for a test's own hosts (--host specs) with its own directory and command log.
#>

Set-StrictMode -Version Latest

$script:SmtpLabRoot = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)

function Get-SmtpLabServerPath {
    <# The built LabServer DLL; builds it (Release) when it is missing. #>
    [CmdletBinding()]
    param()
    $project = Join-Path $script:SmtpLabRoot 'tests/MailIdentity.LabServer/MailIdentity.LabServer.csproj'
    foreach ($configuration in 'Release', 'Debug') {
        $dll = Join-Path $script:SmtpLabRoot "tests/MailIdentity.LabServer/bin/$configuration/net10.0/MailIdentity.LabServer.dll"
        if (Test-Path $dll) { return $dll }
    }
    $output = & dotnet build $project -c Release --nologo --verbosity quiet 2>&1
    if ($LASTEXITCODE -ne 0) { throw "Building the lab's fake SMTP server failed: $($output -join "`n")" }
    Join-Path $script:SmtpLabRoot 'tests/MailIdentity.LabServer/bin/Release/net10.0/MailIdentity.LabServer.dll'
}

function Test-SmtpLabPort {
    <# True when something accepts TCP connections on ip:port within the timeout. #>
    param([Parameter(Mandatory)][string] $IPAddress, [Parameter(Mandatory)][int] $Port, [int] $TimeoutMilliseconds = 500)
    $client = [System.Net.Sockets.TcpClient]::new([System.Net.IPAddress]::Parse($IPAddress).AddressFamily)
    try {
        $task = $client.ConnectAsync([System.Net.IPAddress]::Parse($IPAddress), $Port)
        $task.Wait($TimeoutMilliseconds) -and $client.Connected
    }
    catch { $false }
    finally { $client.Dispose() }
}

function Get-SmtpFakeServerProcess {
    param([Parameter(Mandatory)][string] $Directory)
    $pidFile = Join-Path $Directory 'labserver.pid'
    if (-not (Test-Path $pidFile)) { return $null }
    $id = [int](Get-Content $pidFile -Raw)
    $process = Get-Process -Id $id -ErrorAction SilentlyContinue
    if ($process -and $process.ProcessName -match 'dotnet|MailIdentity') { $process } else { $null }
}

function Start-SmtpFakeServer {
    <#
    .SYNOPSIS
        Starts one LabServer process in $Directory, waits until every port accepts, writes labserver.pid,
        and returns one object per endpoint served (Id, IPAddress, Port, Behavior, LogFile).
        Reuses the process already running from $Directory.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string] $Directory, [string] $DataFile, [string[]] $HostSpec = @(), [int] $TimeoutSeconds = 30)
    $null = New-Item -ItemType Directory -Force -Path $Directory
    $served = Join-Path $Directory 'served.json'
    if ((Get-SmtpFakeServerProcess -Directory $Directory) -and (Test-Path $served)) {
        return @(Get-Content $served -Raw | ConvertFrom-Json)
    }
    $log = Join-Path $Directory 'commands.log'
    $ready = Join-Path $Directory 'ready.txt'
    Remove-Item $ready -ErrorAction SilentlyContinue
    $arguments = [System.Collections.Generic.List[string]]::new()
    $arguments.Add((Get-SmtpLabServerPath))
    if ($DataFile) { $arguments.Add('--data'); $arguments.Add($DataFile) }
    foreach ($spec in $HostSpec) { $arguments.Add('--host'); $arguments.Add($spec) }
    $arguments.AddRange([string[]]@('--log', $log, '--ready', $ready))
    # sh redirects the output to files and stdin from /dev/null, so the server outlives this PowerShell
    # without a pipe to it; ArgumentList passes JSON host specs through unquoted and unchanged.
    $start = [System.Diagnostics.ProcessStartInfo]::new('/bin/sh')
    foreach ($a in @('-c', 'exec dotnet "$@" >"$LAB_OUT" 2>"$LAB_ERR" </dev/null', 'sh') + $arguments) { $start.ArgumentList.Add($a) }
    $start.Environment['LAB_OUT'] = Join-Path $Directory 'labserver.out'
    $start.Environment['LAB_ERR'] = Join-Path $Directory 'labserver.err'
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    Set-Content -LiteralPath (Join-Path $Directory 'labserver.pid') -Value $process.Id
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not (Test-Path $ready)) {
        if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
            $err = Get-Content (Join-Path $Directory 'labserver.err') -Raw -ErrorAction SilentlyContinue
            Stop-SmtpFakeServer -Directory $Directory
            throw "The lab's fake SMTP server did not start: $err"
        }
        Start-Sleep -Milliseconds 100
    }
    $endpoints = foreach ($line in Get-Content (Join-Path $Directory 'labserver.out')) {
        if ($line -match '^listening (?<id>\S+) (?<endpoint>\S+) (?<behavior>.+)$') {
            $endpoint = $Matches.endpoint
            $separator = $endpoint.LastIndexOf(':')
            [pscustomobject]@{
                Server = 'fake'; Id = $Matches.id; IPAddress = $endpoint.Substring(0, $separator).Trim('[', ']')
                Port = [int]$endpoint.Substring($separator + 1); Behavior = $Matches.behavior; LogFile = $log
            }
        }
    }
    foreach ($e in $endpoints) {
        while (-not (Test-SmtpLabPort -IPAddress $e.IPAddress -Port $e.Port)) {
            if ([DateTime]::UtcNow -gt $deadline) { Stop-SmtpFakeServer -Directory $Directory; throw "$($e.IPAddress):$($e.Port) does not accept connections." }
            Start-Sleep -Milliseconds 100
        }
    }
    ConvertTo-Json -InputObject @($endpoints) -Depth 3 | Set-Content -LiteralPath $served
    $endpoints
}

function Stop-SmtpFakeServer {
    <# Stops the LabServer started from $Directory: SIGTERM, then kill after 5 s. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string] $Directory)
    $process = Get-SmtpFakeServerProcess -Directory $Directory
    if ($process) {
        if (Test-Path /bin/kill) { & /bin/kill -TERM $process.Id 2>$null } else { $process.Kill() }
        if (-not $process.WaitForExit(5000)) { $process.Kill(); $null = $process.WaitForExit(5000) }
    }
    Remove-Item (Join-Path $Directory 'labserver.pid'), (Join-Path $Directory 'served.json'), (Join-Path $Directory 'ready.txt') -ErrorAction SilentlyContinue
}

function Start-SmtpLab {
    <#
    .SYNOPSIS
        Serves every lab host whose smtp.server is "fake" (greeting, behavior, ehlo from lab-hosts.json)
        on ip:smtpPort, and [::1]:smtpPort for alsoIPv6Loopback. Returns what it serves.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Lab, [Parameter(Mandatory)][string] $Directory)
    $fake = @($Lab.hosts | Where-Object { $_.PSObject.Properties['smtp'] -and $_.smtp.server -eq 'fake' })
    if ($fake.Count -eq 0) { return }
    $dir = Join-Path $Directory 'smtp'
    $null = New-Item -ItemType Directory -Force -Path $dir
    $data = Join-Path $dir 'lab-hosts.json'
    $Lab | ConvertTo-Json -Depth 20 | Set-Content -LiteralPath $data
    Start-SmtpFakeServer -Directory $dir -DataFile $data
}

function Stop-SmtpLab {
    [CmdletBinding()]
    param([Parameter(Mandatory)][string] $Directory)
    Stop-SmtpFakeServer -Directory (Join-Path $Directory 'smtp')
}
