#requires -Version 7.2
<#
.SYNOPSIS
    The MailIdentity lab: real BIND9 (and SMTP servers) on loopback, generated from lab-hosts.json.
.DESCRIPTION
    Dot-source this file, then call Start-MailLab / Stop-MailLab. Everything listens on 127.x only.
    Start-MailLab writes a state file whose path is returned and exported as $env:MAILIDENTITY_LAB,
    so a test run that finds the lab already running reuses it.
#>

Set-StrictMode -Version Latest

$script:LabRoot = $PSScriptRoot

function Get-LabData {
    [CmdletBinding()]
    param([string] $Path = (Join-Path $script:LabRoot 'lab-hosts.json'))
    Get-Content -LiteralPath $Path -Raw | ConvertFrom-Json -Depth 20
}

function Get-LabReverseName {
    param([Parameter(Mandatory)][string] $IPAddress)
    $ip = [System.Net.IPAddress]::Parse($IPAddress)
    $bytes = $ip.GetAddressBytes()
    if ($ip.AddressFamily -eq 'InterNetwork') {
        [array]::Reverse($bytes)
        return (($bytes | ForEach-Object { $_.ToString() }) -join '.') + '.in-addr.arpa'
    }
    $nibbles = foreach ($b in $bytes) { '{0:x}' -f ($b -shr 4); '{0:x}' -f ($b -band 0xF) }
    [array]::Reverse($nibbles)
    ($nibbles -join '.') + '.ip6.arpa'
}

function Get-LabRecord {
    <# All records of the lab as objects: Name, Type, Data (zone-file text), from hosts' ptr and records. #>
    param([Parameter(Mandatory)] $Lab)
    $lines = [System.Collections.Generic.List[string]]::new()
    foreach ($h in $Lab.hosts) {
        foreach ($p in @($h.ptr)) { if ($p) { $lines.Add("$(Get-LabReverseName $h.ip) PTR $p") } }
        foreach ($r in @($h.records)) { if ($r) { $lines.Add($r) } }
    }
    foreach ($r in @($Lab.extraRecords)) { if ($r) { $lines.Add($r) } }
    foreach ($line in $lines) {
        $parts = $line -split '\s+', 3
        [pscustomobject]@{ Name = $parts[0].TrimEnd('.').ToLowerInvariant(); Type = $parts[1].ToUpperInvariant(); Data = $parts[2] }
    }
}

function Get-LabZoneName {
    param([string[]] $Zones, [string] $Name)
    $best = $null
    foreach ($z in $Zones) {
        if ($Name -eq $z -or $Name.EndsWith(".$z")) {
            if (-not $best -or $z.Length -gt $best.Length) { $best = $z }
        }
    }
    $best
}

function New-LabDnsConfig {
    <# Writes named.conf and one zone file per zone into $Directory. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Lab, [Parameter(Mandatory)][string] $Directory, [int] $Port = $Lab.dnsPort,
          [string[]] $ListenOn = @($Lab.dnsServer))
    $null = New-Item -ItemType Directory -Force -Path $Directory
    $records = @(Get-LabRecord -Lab $Lab)
    $ttl = [int]$Lab.ttl
    $servfail = @($Lab.hosts | ForEach-Object { if ($_.PSObject.Properties['servfailZones']) { $_.servfailZones } }) | Where-Object { $_ }
    $explicit = @($Lab.hosts | ForEach-Object { if ($_.PSObject.Properties['zones']) { $_.zones } }) | Where-Object { $_ }
    $zones = [System.Collections.Generic.SortedSet[string]]::new([string[]]@('in-addr.arpa', 'ip6.arpa', 'lab.example'))
    foreach ($r in $records) {
        if ($r.Name -notmatch '\.arpa$') { $null = $zones.Add(($r.Name -split '\.')[-1]) }
    }
    foreach ($z in $explicit) { $null = $zones.Add($z.ToLowerInvariant()) }
    $all = @($zones) + @($servfail)

    $conf = [System.Text.StringBuilder]::new()
    $listen = ($ListenOn | ForEach-Object { "$_;" }) -join ' '
    $null = $conf.AppendLine(@"
options {
    directory "$Directory";
    pid-file "$Directory/named.pid";
    session-keyfile "$Directory/session.key";
    listen-on port $Port { $listen };
    listen-on-v6 { none; };
    recursion no;
    dnssec-validation no;
    notify no;
    allow-query { any; };
    allow-transfer { none; };
    max-udp-size 4096;
};
controls { };
logging { channel lab { file "$Directory/named.log"; severity info; }; category default { lab; }; };
"@)
    foreach ($z in $zones) {
        $file = ($z -replace '[^a-z0-9.-]', '_') + '.zone'
        $null = $conf.AppendLine("zone `"$z`" { type primary; file `"$file`"; };")
        $zone = [System.Text.StringBuilder]::new()
        $null = $zone.AppendLine("`$TTL $ttl")
        $null = $zone.AppendLine("$z. IN SOA ns.lab.example. hostmaster.lab.example. 1 3600 600 86400 $ttl")
        $null = $zone.AppendLine("$z. IN NS ns.lab.example.")
        foreach ($child in $all) {
            if ($child -ne $z -and (Get-LabZoneName -Zones $zones -Name ($child -replace '^[^.]+\.', '')) -eq $z -and $child.EndsWith(".$z")) {
                $null = $zone.AppendLine("$child. IN NS ns.lab.example.")
            }
        }
        if ($z -eq 'lab.example') { $null = $zone.AppendLine("ns.lab.example. IN A $($Lab.dnsServer)") }
        foreach ($r in $records) {
            if ((Get-LabZoneName -Zones $all -Name $r.Name) -ne $z) { continue }
            $data = $r.Data
            if ($r.Type -in 'PTR', 'CNAME', 'NS') { $data = $data.TrimEnd('.') + '.' }
            elseif ($r.Type -eq 'MX') { $mx = $data -split '\s+'; $data = "$($mx[0]) $($mx[1].TrimEnd('.'))." }
            $null = $zone.AppendLine("$($r.Name). IN $($r.Type) $data")
        }
        Set-Content -LiteralPath (Join-Path $Directory $file) -Value $zone.ToString() -NoNewline
    }
    foreach ($z in $servfail) {
        # A secondary zone whose primary never answers stays unloaded: BIND answers SERVFAIL for it.
        $null = $conf.AppendLine("zone `"$z`" { type secondary; primaries { 127.0.0.1 port 9; }; file `"$($z -replace '[^a-z0-9.-]', '_').secondary`"; };")
    }
    Set-Content -LiteralPath (Join-Path $Directory 'named.conf') -Value $conf.ToString() -NoNewline
}

function Start-LabDns {
    <# Starts a real BIND9 for the lab; returns an object with Server ('127.0.0.1:5300'), Directory and Pid. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Lab, [Parameter(Mandatory)][string] $Directory, [int] $Port = $Lab.dnsPort,
          [string[]] $ListenOn = @($Lab.dnsServer))
    $named = (Get-Command named -ErrorAction SilentlyContinue).Source
    if (-not $named) { foreach ($p in '/usr/sbin/named', '/usr/bin/named') { if (Test-Path $p) { $named = $p } } }
    if (-not $named) { throw "BIND9 'named' is not installed. On Debian: apt-get install -y bind9" }
    New-LabDnsConfig -Lab $Lab -Directory $Directory -Port $Port -ListenOn $ListenOn
    $conf = Join-Path $Directory 'named.conf'
    $check = & named-checkconf -z $conf 2>&1
    if ($LASTEXITCODE -ne 0 -and ($check -notmatch 'secondary')) { Write-Verbose ($check -join "`n") }
    & $named -c $conf -u root 2>&1 | Write-Verbose
    $pidFile = Join-Path $Directory 'named.pid'
    $deadline = [DateTime]::UtcNow.AddSeconds(15)
    $ready = $false
    while ([DateTime]::UtcNow -lt $deadline) {
        if (Test-Path $pidFile) {
            $answer = & dig +short +time=1 +tries=1 -p $Port "@$($ListenOn[0])" ns.lab.example A 2>$null
            if ($answer -contains $Lab.dnsServer) { $ready = $true; break }
        }
        Start-Sleep -Milliseconds 100
    }
    if (-not $ready) {
        $log = if (Test-Path "$Directory/named.log") { Get-Content "$Directory/named.log" -Tail 20 } else { '' }
        throw "BIND9 did not start on $($ListenOn[0]):$Port. $($log -join "`n")"
    }
    [pscustomobject]@{ Server = "$($ListenOn[0]):$Port"; Directory = $Directory; Pid = [int](Get-Content $pidFile) }
}

function Stop-LabDns {
    [CmdletBinding()]
    param([Parameter(Mandatory)][string] $Directory)
    $pidFile = Join-Path $Directory 'named.pid'
    if (-not (Test-Path $pidFile)) { return }
    $id = [int](Get-Content $pidFile)
    $p = Get-Process -Id $id -ErrorAction SilentlyContinue
    if ($p) {
        Stop-Process -Id $id -ErrorAction SilentlyContinue
        if (-not $p.WaitForExit(10000)) { Stop-Process -Id $id -Force -ErrorAction SilentlyContinue }
    }
    Remove-Item $pidFile -ErrorAction SilentlyContinue
}

function Start-MailLab {
    <#
    .SYNOPSIS
        Starts the whole lab (BIND9, Postfix and the fake SMTP server) unless it already runs.
        Returns the state: DnsServer, SmtpPort, Directory, DataFile.
    #>
    [CmdletBinding()]
    param([string] $DataFile = (Join-Path $script:LabRoot 'lab-hosts.json'),
          [string] $Directory = (Join-Path ([IO.Path]::GetTempPath()) 'mailidentity-lab'),
          [switch] $DnsOnly)
    $stateFile = Join-Path $Directory 'state.json'
    if (Test-Path $stateFile) {
        $state = Get-Content $stateFile -Raw | ConvertFrom-Json
        if ($state.DnsPid -and (Get-Process -Id $state.DnsPid -ErrorAction SilentlyContinue)) {
            $env:MAILIDENTITY_LAB = $stateFile
            return $state
        }
        Stop-MailLab -Directory $Directory
    }
    $lab = Get-LabData -Path $DataFile
    $dns = Start-LabDns -Lab $lab -Directory (Join-Path $Directory 'dns')
    $state = [ordered]@{
        DnsServer = $dns.Server; DnsPid = $dns.Pid; SmtpPort = [int]$lab.smtpPort
        Directory = $Directory; DataFile = (Resolve-Path $DataFile).Path; Smtp = @()
    }
    try {
        if (-not $DnsOnly) {
            foreach ($part in 'SmtpLab.ps1', 'PostfixLab.ps1') {
                $script = Join-Path $script:LabRoot $part
                if (Test-Path $script) {
                    . $script
                    $state.Smtp += & ("Start-" + [IO.Path]::GetFileNameWithoutExtension($part)) -Lab $lab -Directory $Directory
                }
            }
        }
    }
    catch {
        $state | ConvertTo-Json -Depth 5 | Set-Content $stateFile
        Stop-MailLab -Directory $Directory
        throw
    }
    $state | ConvertTo-Json -Depth 5 | Set-Content $stateFile
    $env:MAILIDENTITY_LAB = $stateFile
    [pscustomobject]$state
}

function Stop-MailLab {
    [CmdletBinding()]
    param([string] $Directory = (Join-Path ([IO.Path]::GetTempPath()) 'mailidentity-lab'))
    foreach ($part in 'PostfixLab.ps1', 'SmtpLab.ps1') {
        $script = Join-Path $script:LabRoot $part
        if (Test-Path $script) {
            . $script
            & ("Stop-" + [IO.Path]::GetFileNameWithoutExtension($part)) -Directory $Directory
        }
    }
    Stop-LabDns -Directory (Join-Path $Directory 'dns')
    Remove-Item (Join-Path $Directory 'state.json') -ErrorAction SilentlyContinue
    if ($env:MAILIDENTITY_LAB -eq (Join-Path $Directory 'state.json')) { Remove-Item Env:MAILIDENTITY_LAB }
}
