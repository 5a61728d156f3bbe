#requires -Version 7.2
<#
.SYNOPSIS
    Real Debian Postfix for the lab: one private instance (own config, queue, data and log directories)
    serving every lab host whose smtp.server is "postfix", each on its own ip:port master.cf service.
.DESCRIPTION
    Follows /work/shared/LAB-NOTES.md: the config directory is registered in the default instance's
    alternate_config_directories, the address goes into the master.cf service name (inet_interfaces =
    loopback-only), maillog_file replaces syslog. A host with postscreenGreetWait gets postscreen in front
    of its own smtpd pass service, so its greeting is really multi-line.
    New-PostfixInstance / Start-PostfixInstance / Stop-PostfixInstance serve tests that need their own
    throwaway Postfix (reload after a config change).
#>

Set-StrictMode -Version Latest

function Invoke-Postfix {
    <# Runs a Postfix command; Postfix prints its errors only to a terminal, so it runs under script(1). #>
    param([Parameter(Mandatory)][string] $CommandLine)
    $output = & script -qec $CommandLine /dev/null 2>&1
    [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
}

function Get-PostfixAlternateDirectories {
    $value = (& postconf -h alternate_config_directories 2>$null) -join ' '
    @($value -split '[\s,]+' | Where-Object { $_ })
}

function Set-PostfixAlternateDirectories {
    param([string[]] $Directories)
    # A fresh install with "No configuration" has no main.cf, and postconf -e cannot edit what is missing.
    $defaultMain = Join-Path ((& postconf -dh config_directory 2>$null) | Select-Object -First 1) 'main.cf'
    if (-not (Test-Path $defaultMain)) { $null = New-Item -ItemType File -Force -Path $defaultMain }
    $list = @($Directories | Where-Object { $_ } | Select-Object -Unique)
    if ($list.Count -eq 0) { & postconf -X alternate_config_directories 2>&1 | Out-Null }
    else { & postconf -e "alternate_config_directories = $($list -join ' ')" 2>&1 | Out-Null }
}

function New-PostfixInstance {
    <#
    .SYNOPSIS
        Writes a private Postfix instance under $Directory (etc/, spool/, data/, maillog) serving $Service:
        objects with IPAddress, Port, and optional MyHostname (else main.cf's $MyHostname), Banner
        (smtpd_banner) and GreetWait (postscreen, seconds).
        Returns the config directory.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string] $Directory, [Parameter(Mandatory)][object[]] $Service, [string] $MyHostname = 'lab.example')
    foreach ($tool in 'postfix', 'postconf', 'script') {
        if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) { throw "'$tool' is not installed. On Debian: apt-get install -y postfix bsdutils" }
    }
    $etc = Join-Path $Directory 'etc'
    $null = New-Item -ItemType Directory -Force -Path $etc, (Join-Path $Directory 'spool'), (Join-Path $Directory 'data')
    # STARTTLS like a stock Debian Postfix, with a certificate of its own for $MyHostname.
    $tls = Join-Path $Directory 'tls'
    $null = New-Item -ItemType Directory -Force -Path $tls
    if (-not (Test-Path (Join-Path $tls 'cert.pem'))) {
        & openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$MyHostname" -addext "subjectAltName=DNS:$MyHostname" `
            -keyout (Join-Path $tls 'key.pem') -out (Join-Path $tls 'cert.pem') 2>&1 | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "openssl could not make the lab Postfix's certificate (apt-get install -y openssl)." }
    }
    $main = @"
compatibility_level = 3.6
smtpd_tls_cert_file = $tls/cert.pem
smtpd_tls_key_file = $tls/key.pem
smtpd_tls_security_level = may
queue_directory = $Directory/spool
data_directory = $Directory/data
maillog_file = $Directory/maillog
maillog_file_prefixes = /var, /dev/stdout, $Directory
mail_owner = postfix
inet_interfaces = loopback-only
inet_protocols = ipv4
myhostname = $MyHostname
mydestination =
mynetworks = 127.0.0.0/8
relayhost =
smtpd_banner = `$myhostname ESMTP `$mail_name (Debian/GNU)
# Loopback clients are in mynetworks and would skip postscreen's greet test: no access list at all.
postscreen_access_list =
postscreen_greet_action = enforce
postscreen_dnsbl_sites =
# No cache of passed clients: every probe meets the greet test, so the greeting is always multi-line.
postscreen_cache_map =
# No lookups of the client's name: the lab speaks only to loopback, never to the machine's resolver.
smtpd_peername_lookup = no
smtpd_client_restrictions =
biff = no
"@
    Set-Content -LiteralPath (Join-Path $etc 'main.cf') -Value $main
    $master = [System.Text.StringBuilder]::new()
    $null = $master.AppendLine('# service type private unpriv chroot wakeup maxproc command')
    $n = 0
    foreach ($s in $Service) {
        $n++
        # A service without MyHostname uses main.cf's, so `postconf -e myhostname=...` + reload changes it.
        $options = if ($s.PSObject.Properties['MyHostname'] -and $s.MyHostname) { "-o myhostname=$($s.MyHostname)" } else { '' }
        if ($s.PSObject.Properties['Banner'] -and $s.Banner) { $options += " -o {smtpd_banner=$($s.Banner)}" }
        if ($s.PSObject.Properties['GreetWait'] -and $s.GreetWait) {
            $pass = "smtpd-pass-$n"
            $null = $master.AppendLine("$($s.IPAddress):$($s.Port) inet n - n - 1 postscreen $options -o postscreen_greet_wait=$($s.GreetWait)s -o smtpd_service_name=$pass")
            $null = $master.AppendLine("$pass pass - - n - - smtpd $options")
        }
        else {
            $null = $master.AppendLine("$($s.IPAddress):$($s.Port) inet n - n - - smtpd $options")
        }
    }
    $null = $master.AppendLine(@'
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
tlsmgr    unix  - - n 1000? 1 tlsmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
proxywrite unix - - n - 1 proxymap
showq     unix  n - n - - showq
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
dnsblog   unix  - - n - 0 dnsblog
tlsproxy  unix  - - n - 0 tlsproxy
postlog   unix-dgram n - n - 1 postlogd
'@)
    Set-Content -LiteralPath (Join-Path $etc 'master.cf') -Value $master.ToString()
    $etc
}

function Get-PostfixConfigText {
    param([Parameter(Mandatory)][string] $Directory)
    (Get-Content (Join-Path $Directory 'etc/main.cf'), (Join-Path $Directory 'etc/master.cf') -Raw -ErrorAction SilentlyContinue) -join "`n"
}

function Start-PostfixInstance {
    <#
    Registers $Directory/etc, fixes permissions and starts Postfix (or, with -Reload, reloads the running
    instance); waits until every service accepts.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string] $Directory, [Parameter(Mandatory)][object[]] $Service, [int] $TimeoutSeconds = 30, [switch] $Reload)
    $etc = Join-Path $Directory 'etc'
    Set-PostfixAlternateDirectories -Directories (@(Get-PostfixAlternateDirectories) + $etc)
    if ((Invoke-Postfix "postfix -c $etc status").ExitCode -eq 0) {
        if ($Reload) { $null = Invoke-Postfix "postfix -c $etc reload" }
    }
    else {
        $null = Invoke-Postfix "postfix -c $etc set-permissions"
        & chown -R postfix (Join-Path $Directory 'data') 2>$null
        $start = Invoke-Postfix "postfix -c $etc start"
        if ($start.ExitCode -ne 0) { throw "Postfix did not start from $etc`: $($start.Output)" }
    }
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    foreach ($s in $Service) {
        while (-not (Test-SmtpLabPort -IPAddress $s.IPAddress -Port $s.Port)) {
            if ([DateTime]::UtcNow -gt $deadline) {
                $log = Get-Content (Join-Path $Directory 'maillog') -Tail 20 -ErrorAction SilentlyContinue
                throw "Postfix does not accept connections on $($s.IPAddress):$($s.Port). $($log -join "`n")"
            }
            Start-Sleep -Milliseconds 200
        }
    }
}

function Stop-PostfixInstance {
    <# Stops the instance and removes its config directory from alternate_config_directories. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string] $Directory)
    $etc = Join-Path $Directory 'etc'
    if (Test-Path (Join-Path $etc 'main.cf')) {
        if ((Invoke-Postfix "postfix -c $etc status").ExitCode -eq 0) { $null = Invoke-Postfix "postfix -c $etc stop" }
    }
    Set-PostfixAlternateDirectories -Directories @(Get-PostfixAlternateDirectories | Where-Object { $_ -ne $etc })
}

function Get-PostfixLabService {
    param([Parameter(Mandatory)] $Lab)
    foreach ($h in $Lab.hosts) {
        if (-not $h.PSObject.Properties['smtp'] -or $h.smtp.server -ne 'postfix') { continue }
        $wait = if ($h.smtp.PSObject.Properties['postscreenGreetWait']) { [int]$h.smtp.postscreenGreetWait } else { 0 }
        $name = if ($h.smtp.PSObject.Properties['myhostname']) { $h.smtp.myhostname } else { "mail.$($h.domain)" }
        [pscustomobject]@{ Server = 'postfix'; Id = $h.id; IPAddress = $h.ip; Port = [int]$Lab.smtpPort; MyHostname = $name; GreetWait = $wait }
    }
}

function Start-PostfixLab {
    <# Runs one real Postfix serving every lab host whose smtp.server is "postfix". Returns what it serves. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Lab, [Parameter(Mandatory)][string] $Directory)
    $services = @(Get-PostfixLabService -Lab $Lab)
    if ($services.Count -eq 0) { return }
    if (-not (Get-Command Test-SmtpLabPort -ErrorAction SilentlyContinue)) { . (Join-Path $PSScriptRoot 'SmtpLab.ps1') }
    $dir = Join-Path $Directory 'postfix'
    $before = Get-PostfixConfigText -Directory $dir
    $null = New-PostfixInstance -Directory $dir -Service $services
    # A running instance reloads only when its configuration changed.
    Start-PostfixInstance -Directory $dir -Service $services -Reload:($before -ne (Get-PostfixConfigText -Directory $dir))
    $services
}

function Stop-PostfixLab {
    [CmdletBinding()]
    param([Parameter(Mandatory)][string] $Directory)
    Stop-PostfixInstance -Directory (Join-Path $Directory 'postfix')
}
