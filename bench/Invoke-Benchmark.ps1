#requires -Version 7.2
<#
.SYNOPSIS
    Measures MailIdentity's bulk checks against peer tools (dnsperf, adnshost, dig, swaks, a plain DnsClient
    loop) in one run on this machine, against a real BIND9 and the lab's fake SMTP server on loopback.
.DESCRIPTION
    Starts a bench lab (BIND9 on 127.0.0.1:<DnsPort>, default 53 because adnshost only speaks to port 53;
    the fake SMTP server on N 127.x addresses with a delayed greeting), then measures:
      1. DNS capacity: dnsperf with a PTR query file (the physical limit for any client here).
      2. PTR lookups: Get-PtrRecord (whole process and excluding start-up) vs adnshost -t ptr-, a plain
         PowerShell loop over DnsClient (sample, scaled) and dig -x (sample, scaled).
      3. FCrDNS: Test-ForwardConfirmedRdns vs adnshost -i (checked PTR: adns resolves the name forward
         and compares, the same work).
      4. Full checks: Test-MailIdentity at its default throttle vs a sequential swaks loop (sample, scaled)
         vs ForEach-Object -Parallel around the same swaks call, and the latency bound N x delay / throttle.
      5. Peak memory (VmHWM of the child pwsh) of Test-MailIdentity -SkipSmtp streaming small vs large input.
      6. Module import time (median of fresh processes).
    Prints one table and writes it as JSON to bench/results/. Everything it starts is stopped at the end.

    Network rule: every tool is pointed at 127.0.0.1 explicitly (adnshost with --config and +e, so it
    reads neither /etc/resolv.conf nor the environment). Before the timed runs each tool runs once on a
    small sample under strace, and the bench stops if any of them sent to an address outside 127.0.0.0/8.
.PARAMETER Root
    The repository root holding the staged module (MailIdentity.psd1 + bin/, made by build.ps1 -Task Build).
.PARAMETER Smoke
    Tiny sizes that finish in well under a minute; checks the bench still works (CI). Results are written
    under a *-smoke name and are not meaningful as numbers.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Bench
.EXAMPLE
    dotnet pwsh ./bench/Invoke-Benchmark.ps1 -Root . -Smoke
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $Root,
    [switch] $Smoke,
    # adnshost cannot be given a port: the bench's BIND9 listens on 127.0.0.1 port 53.
    [ValidateRange(1, 65535)][int] $DnsPort = 53,
    [ValidateRange(1, 65535)][int] $SmtpPort = 2625,
    [string] $WorkDirectory = (Join-Path ([IO.Path]::GetTempPath()) 'mailidentity-bench'),
    [string] $ResultDirectory = (Join-Path $PSScriptRoot 'results'),
    # Extra -ThrottleLimit values to measure Get-PtrRecord / Test-ForwardConfirmedRdns at, beside the default.
    [int[]] $ExtraThrottle = @(200),
    # adnshost batched run: addresses per adnshost process (in flight at once).
    [ValidateRange(1, 10000)][int] $AdnsBatch = 200,
    # Test-MailIdentity is also measured at these throttles (the default throttle caps the speed-up over
    # a sequential loop at N x delay / (N x delay / throttle) = throttle).
    [int[]] $ExtraSmtpThrottle = @(128),
    # Runs of each PTR / FCrDNS measurement (module and adnshost); the median is reported. Smoke: 1.
    [ValidateRange(1, 9)][int] $Repeat = 3
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Root = (Resolve-Path -LiteralPath $Root).Path
if ($Smoke -and -not $PSBoundParameters.ContainsKey('ExtraThrottle')) { $ExtraThrottle = @() }
if ($Smoke -and -not $PSBoundParameters.ContainsKey('Repeat')) { $Repeat = 1 }
if ($Smoke -and -not $PSBoundParameters.ContainsKey('ExtraSmtpThrottle')) { $ExtraSmtpThrottle = @() }
. (Join-Path $Root 'tests/lab/Lab.ps1')

$Size = if ($Smoke) {
    [ordered]@{ Ptr = 300; Smtp = 40; GreetingDelayMs = 200; MemorySmall = 100; MemoryLarge = 1000; DnsperfSeconds = 2
        DigSample = 10; LoopSample = 300; SwaksSample = 3; ParallelSwaks = 40; ImportRuns = 2 }
}
else {
    [ordered]@{ Ptr = 20000; Smtp = 2000; GreetingDelayMs = 200; MemorySmall = 1000; MemoryLarge = 100000; DnsperfSeconds = 10
        DigSample = 300; LoopSample = 5000; SwaksSample = 20; ParallelSwaks = 500; ImportRuns = 5 }
}
$DnsServer = "127.0.0.1:$DnsPort"
$Module = Join-Path $Root 'MailIdentity.psd1'
$Child = Join-Path $PSScriptRoot 'Invoke-BenchChild.ps1'
$Pwsh = if (Test-Path (Join-Path $PSHOME 'pwsh.dll')) { @((Get-Command dotnet).Source, (Join-Path $PSHOME 'pwsh.dll')) } else { @((Join-Path $PSHOME 'pwsh')) }
$PwshLine = ($Pwsh | ForEach-Object { "'$_'" }) -join ' '
$Rows = [System.Collections.Generic.List[object]]::new()
$Raw = [ordered]@{}

function Write-Step([string] $Text) { Write-Host ("[{0:HH:mm:ss}] {1}" -f [DateTime]::Now, $Text) }

function Get-BenchAddress([int] $Index) {
    # 254 usable addresses per /24 from 127.10.0.1 on: no .0 or .255 to surprise anyone.
    $block = [math]::Floor($Index / 254)
    "127.$(10 + [math]::Floor($block / 256)).$($block % 256).$($Index % 254 + 1)"
}

function Get-BenchHostName([int] $Index) { "h$Index.bench.example" }

function Test-Tool([string] $Name) {
    if (-not (Get-Command $Name -ErrorAction SilentlyContinue)) { throw "'$Name' is not installed; the bench compares against it (Debian: see bench/README.md)." }
}

function Invoke-Timed {
    <# Runs a bash script under /usr/bin/time; returns wall seconds, peak RSS (KiB) and exit code. #>
    param([Parameter(Mandatory)][string] $Name, [Parameter(Mandatory)][string] $Script, [switch] $AllowFailure)
    $file = Join-Path $WorkDirectory "$Name.sh"
    $timeFile = Join-Path $WorkDirectory "$Name.time"
    Set-Content -LiteralPath $file -Value "set -e`n$Script`n"
    $watch = [Diagnostics.Stopwatch]::StartNew()
    & /usr/bin/time -f '%e %M %U %S' -o $timeFile /bin/bash $file 2> (Join-Path $WorkDirectory "$Name.err")
    $exit = $LASTEXITCODE
    $watch.Stop()
    if ($exit -ne 0 -and -not $AllowFailure) {
        throw "$Name failed (exit $exit): $((Get-Content (Join-Path $WorkDirectory "$Name.err") -Tail 5) -join ' | ')"
    }
    $t = (Get-Content $timeFile | Where-Object { $_ -match '^[\d.]+ \d+ [\d.]+ [\d.]+$' } | Select-Object -Last 1) -split ' '
    [pscustomobject]@{ Seconds = $watch.Elapsed.TotalSeconds; PeakRssKiB = [long]$t[1]; CpuSeconds = [double]$t[2] + [double]$t[3]; ExitCode = $exit }
}

function Invoke-Child {
    <# A fresh pwsh running Invoke-BenchChild.ps1; returns the child's summary plus whole-process seconds. #>
    param([Parameter(Mandatory)][string] $Name, [Parameter(Mandatory)][string] $Arguments)
    $result = Join-Path $WorkDirectory "$Name.json"
    Remove-Item $result -ErrorAction SilentlyContinue
    # exec: /usr/bin/time then measures the pwsh process itself (its peak RSS, not bash's).
    $timed = Invoke-Timed -Name $Name -Script "exec $PwshLine -NoProfile -NonInteractive -File '$Child' -Module '$Module' -ResultFile '$result' $Arguments"
    $summary = Get-Content $result -Raw | ConvertFrom-Json -AsHashtable
    $summary.WholeSeconds = $timed.Seconds
    $summary.PeakRssKiB = $timed.PeakRssKiB
    $summary.CpuSeconds = $timed.CpuSeconds
    $Raw[$Name] = $summary
    $summary
}

function Invoke-ChildMedian {
    <#
        The machine is shared: run $Repeat times and keep the run with the median pipeline time (RunMs);
        every run is kept in the raw results. Each run must have done the whole work.
    #>
    param([string] $Name, [string] $Arguments, [int] $Expected, [string[]] $Status)
    $runs = foreach ($r in 1..$Repeat) {
        $s = Invoke-Child -Name "$Name-$r" -Arguments $Arguments
        Assert-Complete -Name $Name -Summary $s -Expected $Expected -Status $Status
        $s
    }
    $sorted = @($runs | Sort-Object { $_.RunMs })
    $median = $sorted[[math]::Floor($sorted.Count / 2)]
    $median.AllRunMs = @($runs | ForEach-Object { $_.RunMs })
    $median.AllWholeSeconds = @($runs | ForEach-Object { [math]::Round($_.WholeSeconds, 2) })
    $median
}

function Assert-Complete {
    <# The work was really done: every input gave a result with the expected status. #>
    param([string] $Name, [hashtable] $Summary, [int] $Expected, [string[]] $Status)
    $good = 0
    foreach ($s in $Status) { if ($Summary.Statuses.ContainsKey($s)) { $good += $Summary.Statuses[$s] } }
    if ($Summary.Count -ne $Expected -or $good -ne $Expected -or $Summary.Errors -ne 0) {
        throw "$Name did not complete the work: $($Summary.Count) results of $Expected, statuses $($Summary.Statuses | ConvertTo-Json -Compress), $($Summary.Errors) errors. $($Summary.FirstError)"
    }
}

function Assert-LoopbackOnly {
    <#
        Runs a small sample of a tool under strace and lists every address it connected or sent to.
        Throws when any is outside 127.0.0.0/8 and ::1: that tool would break the network rule.
    #>
    param([Parameter(Mandatory)][string] $Name, [Parameter(Mandatory)][string] $Script)
    $trace = Join-Path $WorkDirectory "$Name.strace"
    $file = Join-Path $WorkDirectory "$Name.sh"
    Set-Content -LiteralPath $file -Value "set -e`n$Script`n"
    & strace -f -qq --seccomp-bpf -e trace=connect,sendto,sendmsg,sendmmsg -o $trace /bin/bash $file > $null 2> (Join-Path $WorkDirectory "$Name.err")
    if ($LASTEXITCODE -ne 0) { throw "$Name (loopback check) failed: $((Get-Content (Join-Path $WorkDirectory "$Name.err") -Tail 5) -join ' | ')" }
    $destinations = @{}
    foreach ($line in [IO.File]::ReadLines($trace)) {
        foreach ($m in [regex]::Matches($line, 'sin6?_port=htons\((\d+)\)[^}]*?(?:inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)")')) {
            $address = if ($m.Groups[2].Success) { $m.Groups[2].Value } else { $m.Groups[3].Value }
            $key = "$address port $($m.Groups[1].Value)"
            $destinations[$key] = 1 + [int]$destinations[$key]
        }
    }
    # getaddrinfo's AI_ADDRCONFIG probe connects a UDP socket to 0.0.0.0 / :: port 0: no packet leaves.
    $outside = @($destinations.Keys | Where-Object { $_ -notmatch '^(127\.|::1 |::ffff:127\.)' -and $_ -notmatch '^(0\.0\.0\.0|::) port 0$' })
    if ($outside) { throw "$Name sent to addresses outside loopback: $($outside -join ', '). The bench stops (network rule)." }
    $Raw["loopback-$Name"] = $destinations
    Write-Step "  $Name talks only to: $((@($destinations.Keys | Sort-Object) | Select-Object -First 4) -join ', ')$(if ($destinations.Count -gt 4) { ", ... ($($destinations.Count) endpoints)" })"
}

function Add-Row {
    param([string] $Part, [string] $What, [int] $N, [double] $Seconds, [string] $Note = '', [string] $Compare = '',
          [double] $Ratio = [double]::NaN, [string] $Target = '', [object] $Met = $null, [string] $Rate, [double] $Cpu = [double]::NaN)
    $Rows.Add([pscustomobject][ordered]@{
        Part = $Part; What = $What; N = $N; Seconds = [math]::Round($Seconds, 3)
        CpuSeconds = if ([double]::IsNaN($Cpu)) { $null } else { [math]::Round($Cpu, 2) }
        PerSecond = if ($Rate) { $Rate } elseif ($Seconds -gt 0) { '{0:N0}' -f ($N / $Seconds) } else { '' }
        Compare = $Compare; Ratio = if ([double]::IsNaN($Ratio)) { $null } else { [math]::Round($Ratio, 2) }
        Target = $Target; Met = $Met; Note = $Note
    })
}

function Read-AdnsOutput([string] $Path) {
    <# Counts adnshost --fmt-asynch answers by status ("ok", "nxdomain", ...). #>
    $counts = @{}
    foreach ($line in [IO.File]::ReadLines($Path)) {
        if ($line -match '^\d+ \d+ (\S+) \d+ (\S+) ') {
            $key = if ($Matches[1] -eq 'ok') { 'ok' } else { $Matches[2] }
            $counts[$key] = 1 + [int]$counts[$key]
        }
    }
    $counts
}

function Measure-Adns {
    <#
        adnshost two ways. As a user runs it: one process reading every address on stdin (-a -f). It sends
        all of them at once with no flow control, so on a large list BIND's socket buffer overflows and
        many queries time out: the run is reported with its failures and is not a valid baseline then.
        Batched: xargs starts one adnshost per $AdnsBatch addresses (that many in flight), one after the other;
        every query is answered. The baseline is the faster run that answered every address.
    #>
    param([string] $Name, [string] $File, [string] $Type, [int] $Expected)
    $typeArg = if ($Type) { "-t $Type" } else { '' }
    $one = Invoke-Timed -Name "$Name-stdin" -AllowFailure -Script "sed 's/^/-i/' '$File' | adnshost +e $adnsConfig -a -f $typeArg > '$WorkDirectory/$Name-stdin.out'"
    $oneCounts = Read-AdnsOutput "$WorkDirectory/$Name-stdin.out"
    $batches = foreach ($r in 1..$Repeat) {
        $b = Invoke-Timed -Name "$Name-batched-$r" -AllowFailure -Script "sed 's/^/-i/' '$File' | xargs -n $AdnsBatch adnshost +e $adnsConfig -a $typeArg > '$WorkDirectory/$Name-batched.out'"
        $b | Add-Member -NotePropertyName Counts -NotePropertyValue (Read-AdnsOutput "$WorkDirectory/$Name-batched.out") -PassThru
    }
    $batch = @($batches | Sort-Object Seconds)[[math]::Floor($Repeat / 2)]
    $batchCounts = $batch.Counts
    $runs = @(
        [pscustomobject]@{ How = 'one process, all on stdin (-a -f)'; Seconds = $one.Seconds; CpuSeconds = $one.CpuSeconds; Ok = [int]$oneCounts['ok']; Statuses = $oneCounts; AllSeconds = @([math]::Round($one.Seconds, 2)) }
        [pscustomobject]@{ How = "xargs -n $AdnsBatch (batches of $AdnsBatch in flight)"; Seconds = $batch.Seconds; CpuSeconds = $batch.CpuSeconds; Ok = [int]$batchCounts['ok']; Statuses = $batchCounts; AllSeconds = @($batches | ForEach-Object { [math]::Round($_.Seconds, 2) }) }
    )
    $Raw[$Name] = $runs
    $complete = @($runs | Where-Object Ok -eq $Expected | Sort-Object Seconds)
    if (-not $complete) { throw "adnshost ($Name) answered no run completely: $($runs | ConvertTo-Json -Compress -Depth 4)" }
    [pscustomobject]@{ Runs = $runs; Best = $complete[0] }
}

# ---------------------------------------------------------------------------------------------------------
foreach ($tool in 'named', 'dnsperf', 'adnshost', 'dig', 'swaks', 'strace') { Test-Tool $tool }
if (-not (Test-Path $Module) -or -not (Test-Path (Join-Path $Root 'bin/MailIdentity.dll'))) {
    throw "The module is not staged under $Root (MailIdentity.psd1 + bin/). Run: dotnet pwsh ./build.ps1 -Task Build"
}
Remove-Item $WorkDirectory -Recurse -Force -ErrorAction SilentlyContinue
$null = New-Item -ItemType Directory -Force $WorkDirectory
$dnsDirectory = Join-Path $WorkDirectory 'dns'
$smtpServer = $null
$machine = [ordered]@{
    Date = [DateTime]::UtcNow.ToString('yyyy-MM-dd HH:mm:ss') + ' UTC'
    Cpu = ((Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^model name\s*:\s*', '')
    Cores = [Environment]::ProcessorCount
    Memory = ((& free -h | Select-Object -Skip 1 -First 1) -split '\s+')[1]
    Os = (Get-Content /etc/os-release | Where-Object { $_ -like 'PRETTY_NAME=*' }) -replace '^PRETTY_NAME="?|"$', ''
    PowerShell = $PSVersionTable.PSVersion.ToString()
    Dotnet = [Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
    Bind = (& named -v)
    Adns = ((& adnshost --version) | Select-Object -First 1)
    Dnsperf = ((& dnsperf -h 2>&1) | Where-Object { $_ -match '^Version' } | Select-Object -First 1)
    Swaks = ((& swaks --version) | Select-Object -First 1)
    LoadAverageAtStart = (Get-Content /proc/loadavg)
}

try {
    # --- The bench lab --------------------------------------------------------------------------------
    $dnsHosts = [math]::Max($Size.Ptr, $Size.MemoryLarge)
    Write-Step "Generating $dnsHosts synthetic hosts (PTR hN.bench.example, A back to the 127.x address)"
    $hosts = [System.Collections.Generic.List[object]]::new($dnsHosts)
    $ips = [string[]]::new($dnsHosts)
    for ($i = 0; $i -lt $dnsHosts; $i++) {
        $ip = Get-BenchAddress $i
        $ips[$i] = $ip
        $name = Get-BenchHostName $i
        $h = [ordered]@{ id = "B$i"; ip = $ip; ptr = @($name); records = @("$name A $ip") }
        if ($i -lt $Size.Smtp) {
            $h.smtp = [ordered]@{ server = 'fake'; greeting = "220 $name ESMTP Bench\r\n"; behavior = "delay:$($Size.GreetingDelayMs)" }
        }
        $hosts.Add([pscustomobject]$h)
    }
    $lab = [pscustomobject]@{ dnsServer = '127.0.0.1'; dnsPort = $DnsPort; smtpPort = $SmtpPort; ttl = 3600; hosts = $hosts.ToArray(); extraRecords = @() }
    $ptrFile = Join-Path $WorkDirectory 'ptr-ips.txt'
    [IO.File]::WriteAllLines($ptrFile, [string[]]$ips[0..($Size.Ptr - 1)])

    Write-Step "Starting BIND9 on $DnsServer (zone files for $dnsHosts hosts)"
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $dns = Start-LabDns -Lab $lab -Directory $dnsDirectory -Port $DnsPort -ListenOn 127.0.0.1
    Write-Step "  BIND9 pid $($dns.Pid) answering after $([math]::Round($watch.Elapsed.TotalSeconds, 1)) s"
    $probe = & dig +short +time=1 +tries=1 -p $DnsPort '@127.0.0.1' -x $ips[-1]
    if ($probe -ne "$(Get-BenchHostName ($dnsHosts - 1))." ) { throw "BIND9 does not answer the last synthetic PTR ($($ips[-1]) -> '$probe')." }

    $hasIdentity = [bool](Get-Command Test-MailIdentity -Module (Import-Module $Module -PassThru) -ErrorAction SilentlyContinue)
    $n = $Size.Smtp
    if ($hasIdentity) {
        $labServer = Join-Path $Root 'tests/MailIdentity.LabServer'
        $serverDll = Join-Path $labServer 'bin/Release/net10.0/MailIdentity.LabServer.dll'
        if (-not (Test-Path $serverDll)) {
            if (-not (Test-Path (Join-Path $labServer 'MailIdentity.LabServer.csproj'))) { throw "The fake SMTP server (tests/MailIdentity.LabServer) is not in $Root." }
            & dotnet build (Join-Path $labServer 'MailIdentity.LabServer.csproj') -c Release --nologo --verbosity quiet
            if ($LASTEXITCODE -ne 0) { throw 'Building tests/MailIdentity.LabServer failed.' }
        }
        $smtpData = Join-Path $WorkDirectory 'smtp-hosts.json'
        [pscustomobject]@{ smtpPort = $SmtpPort; hosts = @($hosts | Select-Object -First $n) } | ConvertTo-Json -Depth 5 | Set-Content $smtpData
        $ready = Join-Path $WorkDirectory 'smtp.ready'
        $info = [Diagnostics.ProcessStartInfo]::new((Get-Command dotnet).Source)
        foreach ($a in $serverDll, '--data', $smtpData, '--ready', $ready, '--exit-on-stdin-close') { $info.ArgumentList.Add($a) }
        $info.RedirectStandardInput = $true
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $smtpServer = [Diagnostics.Process]::Start($info)
        $null = $smtpServer.StandardOutput.ReadToEndAsync()
        $smtpErrors = $smtpServer.StandardError.ReadToEndAsync()
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (-not (Test-Path $ready) -and -not $smtpServer.HasExited -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        if (-not (Test-Path $ready)) { throw "The fake SMTP server did not start: $($smtpErrors.Result)" }
        Write-Step "  fake SMTP server pid $($smtpServer.Id) on $n addresses, port $SmtpPort"
    }

    # --- Network rule: every tool, once, on a small sample under strace ----------------------------------
    Write-Step 'Checking that every tool talks only to loopback (strace on a small sample)'
    $sample = Join-Path $WorkDirectory 'sample-ips.txt'
    [IO.File]::WriteAllLines($sample, [string[]]$ips[0..4])
    $adnsConfig = "--config 'nameserver 127.0.0.1'"
    Assert-LoopbackOnly -Name 'adnshost' -Script "sed 's/^/-i/' '$sample' | adnshost +e $adnsConfig -a -f > /dev/null"
    Assert-LoopbackOnly -Name 'dig' -Script "dig +short +tries=1 +time=2 -p $DnsPort @127.0.0.1 -x $($ips[0]) > /dev/null"
    Assert-LoopbackOnly -Name 'dnsperf' -Script "echo '$((Get-LabReverseName $ips[0])) PTR' | dnsperf -s 127.0.0.1 -p $DnsPort -n 1 > /dev/null"
    $swaks = "swaks --server `$ip --port $SmtpPort --quit-after EHLO --helo bench-client.example --from bench@bench.example --to postmaster@bench.example --timeout 10"
    if ($hasIdentity) {
        Assert-LoopbackOnly -Name 'swaks' -Script "ip=$($ips[0]); $swaks > /dev/null"
        Assert-LoopbackOnly -Name 'pwsh-module' -Script "$PwshLine -NoProfile -NonInteractive -File '$Child' -Module '$Module' -Mode Identity -InputFile '$sample' -DnsServer $DnsServer -Port $SmtpPort -ResultFile '$WorkDirectory/loopback-module.json'"
    }
    else {
        Assert-LoopbackOnly -Name 'pwsh-module' -Script "$PwshLine -NoProfile -NonInteractive -File '$Child' -Module '$Module' -Mode Fcrdns -InputFile '$sample' -DnsServer $DnsServer -ResultFile '$WorkDirectory/loopback-module.json'"
    }

    # --- 1. DNS capacity ----------------------------------------------------------------------------------
    Write-Step "1. dnsperf for $($Size.DnsperfSeconds) s"
    $queryFile = Join-Path $WorkDirectory 'ptr-queries.txt'
    [IO.File]::WriteAllLines($queryFile, [string[]]($ips[0..($Size.Ptr - 1)] | ForEach-Object { "$(Get-LabReverseName $_) PTR" }))
    $null = Invoke-Timed -Name 'dnsperf' -Script "dnsperf -s 127.0.0.1 -p $DnsPort -d '$queryFile' -l $($Size.DnsperfSeconds) -q 200 > '$WorkDirectory/dnsperf.out'"
    $perf = Get-Content "$WorkDirectory/dnsperf.out" -Raw
    if ($perf -notmatch 'Queries per second:\s+([\d.]+)') { throw "dnsperf printed no rate: $perf" }
    $qps = [double]$Matches[1]
    $completed = if ($perf -match 'Queries completed:\s+(\d+)') { [int]$Matches[1] } else { 0 }
    $lost = if ($perf -match 'Queries lost:\s+(\d+)') { [int]$Matches[1] } else { 0 }
    $Raw.dnsperf = [ordered]@{ QueriesPerSecond = $qps; Completed = $completed; Lost = $lost }
    Add-Row -Part '1 DNS capacity' -What 'dnsperf -q 200 (PTR)' -N $completed -Seconds $Size.DnsperfSeconds -Rate ('{0:N0}' -f $qps) -Note "lost $lost"
    $ptrBound = $Size.Ptr / $qps
    $fcrdnsBound = 2 * $Size.Ptr / $qps

    # --- 2. PTR lookups -----------------------------------------------------------------------------------
    $n = $Size.Ptr
    Write-Step "2. PTR lookups for $n addresses"
    $adns = Measure-Adns -Name 'adnshost-ptr' -File $ptrFile -Type 'ptr-' -Expected $n
    $adnsPtr = $adns.Best.Seconds

    $ptrRuns = @()
    foreach ($throttle in @(0) + $ExtraThrottle) {
        $label = if ($throttle) { "-ThrottleLimit $throttle" } else { 'default throttle' }
        $arg = if ($throttle) { "-ThrottleLimit $throttle" } else { '' }
        $s = Invoke-ChildMedian -Name "get-ptrrecord-$(if ($throttle) { $throttle } else { 'default' })" -Arguments "-Mode Ptr -InputFile '$ptrFile' -DnsServer $DnsServer $arg" -Expected $n -Status 'Found'
        $ptrRuns += [pscustomobject]@{ Label = $label; Summary = $s }
        Add-Row -Part '2 PTR' -What "Get-PtrRecord $label, whole process" -N $n -Seconds $s.WholeSeconds -Cpu $s.CpuSeconds -Compare 'adnshost / this (speed-up)' -Ratio ($adnsPtr / $s.WholeSeconds) -Target '>= 2' -Met (($adnsPtr / $s.WholeSeconds) -ge 2) -Note "runs $($s.AllWholeSeconds -join ', ') s"
        Add-Row -Part '2 PTR' -What "Get-PtrRecord $label, excluding start-up" -N $n -Seconds ($s.RunMs / 1000) -Compare 'this / dnsperf bound' -Ratio (($s.RunMs / 1000) / $ptrBound) -Target '<= 3' -Met ((($s.RunMs / 1000) / $ptrBound) -le 3) -Note "runs $(($s.AllRunMs | ForEach-Object { [math]::Round($_ / 1000, 2) }) -join ', ') s; process start to script $([math]::Round($s.StartupMs)) ms, import $([math]::Round($s.ImportMs)) ms"
    }
    foreach ($run in $adns.Runs) {
        Add-Row -Part '2 PTR' -What "adnshost -t ptr- (unchecked PTR), $($run.How)" -N $n -Seconds $run.Seconds -Cpu $run.CpuSeconds -Compare 'this / Get-PtrRecord (whole)' -Ratio ($run.Seconds / $ptrRuns[0].Summary.WholeSeconds) -Note "answered $($run.Ok) of $n$(if ($run -eq $adns.Best) { "; the baseline; runs $($run.AllSeconds -join ', ') s" })"
    }
    Add-Row -Part '2 PTR' -What 'dnsperf bound (N / qps)' -N $n -Seconds $ptrBound

    $loopFile = Join-Path $WorkDirectory 'loop-ips.txt'
    [IO.File]::WriteAllLines($loopFile, [string[]]$ips[0..($Size.LoopSample - 1)])
    $loop = Invoke-Child -Name 'dnsclient-loop' -Arguments "-Mode DnsClientLoop -InputFile '$loopFile' -DnsServer $DnsServer"
    Assert-Complete -Name 'DnsClient loop' -Summary $loop -Expected $Size.LoopSample -Status 'Found'
    $loopScaled = $loop.RunMs / 1000 * $n / $Size.LoopSample
    Add-Row -Part '2 PTR' -What 'PowerShell foreach over DnsClient QueryReverse (scaled)' -N $n -Seconds $loopScaled -Compare 'this / Get-PtrRecord (excl. start-up)' -Ratio ($loopScaled / ($ptrRuns[0].Summary.RunMs / 1000)) -Note "sample $($Size.LoopSample), excluding start-up; that process used $([math]::Round($loop.CpuSeconds, 2)) CPU s in all, start-up included"

    $digFile = Join-Path $WorkDirectory 'dig-ips.txt'
    [IO.File]::WriteAllLines($digFile, [string[]]$ips[0..($Size.DigSample - 1)])
    $dig = Invoke-Timed -Name 'dig' -Script "while read ip; do dig +short +tries=1 +time=2 -p $DnsPort @127.0.0.1 -x `$ip; done < '$digFile' > '$WorkDirectory/dig.out'"
    $digAnswers = @(Get-Content "$WorkDirectory/dig.out" | Where-Object { $_ -like 'h*.bench.example.' }).Count
    if ($digAnswers -ne $Size.DigSample) { throw "dig -x answered $digAnswers of $($Size.DigSample)." }
    $digScaled = $dig.Seconds * $n / $Size.DigSample
    Add-Row -Part '2 PTR' -What 'dig -x in a shell loop (scaled)' -N $n -Seconds $digScaled -Compare 'this / Get-PtrRecord (whole)' -Ratio ($digScaled / $ptrRuns[0].Summary.WholeSeconds) -Cpu ($dig.CpuSeconds * $n / $Size.DigSample) -Note "sample $($Size.DigSample)"

    # --- 3. FCrDNS ----------------------------------------------------------------------------------------
    Write-Step "3. FCrDNS for $n addresses"
    $adns = Measure-Adns -Name 'adnshost-fcrdns' -File $ptrFile -Type '' -Expected $n
    $adnsFcrdns = $adns.Best.Seconds
    foreach ($throttle in @(0) + $ExtraThrottle) {
        $label = if ($throttle) { "-ThrottleLimit $throttle" } else { 'default throttle' }
        $arg = if ($throttle) { "-ThrottleLimit $throttle" } else { '' }
        $s = Invoke-ChildMedian -Name "test-fcrdns-$(if ($throttle) { $throttle } else { 'default' })" -Arguments "-Mode Fcrdns -InputFile '$ptrFile' -DnsServer $DnsServer $arg" -Expected $n -Status 'Confirmed'
        if (-not $throttle) { $fcrdnsFirst = $s }
        Add-Row -Part '3 FCrDNS' -What "Test-ForwardConfirmedRdns $label, whole process" -N $n -Seconds $s.WholeSeconds -Cpu $s.CpuSeconds -Compare 'adnshost / this (speed-up)' -Ratio ($adnsFcrdns / $s.WholeSeconds) -Target '>= 2' -Met (($adnsFcrdns / $s.WholeSeconds) -ge 2) -Note "runs $($s.AllWholeSeconds -join ', ') s"
        Add-Row -Part '3 FCrDNS' -What "Test-ForwardConfirmedRdns $label, excluding start-up" -N $n -Seconds ($s.RunMs / 1000) -Compare 'this / dnsperf bound' -Ratio (($s.RunMs / 1000) / $fcrdnsBound) -Target '<= 3' -Met ((($s.RunMs / 1000) / $fcrdnsBound) -le 3) -Note "runs $(($s.AllRunMs | ForEach-Object { [math]::Round($_ / 1000, 2) }) -join ', ') s"
    }
    foreach ($run in $adns.Runs) {
        Add-Row -Part '3 FCrDNS' -What "adnshost -i (checked PTR: forward lookup and compare), $($run.How)" -N $n -Seconds $run.Seconds -Cpu $run.CpuSeconds -Compare 'this / Test-ForwardConfirmedRdns (whole)' -Ratio ($run.Seconds / $fcrdnsFirst.WholeSeconds) -Note "answered $($run.Ok) of $n$(if ($run -eq $adns.Best) { "; the baseline; runs $($run.AllSeconds -join ', ') s" })"
    }
    Add-Row -Part '3 FCrDNS' -What 'dnsperf bound (2 N / qps)' -N $n -Seconds $fcrdnsBound

    # --- 4. Full checks -----------------------------------------------------------------------------------
    $n = $Size.Smtp
    $delay = $Size.GreetingDelayMs / 1000
    if (-not $hasIdentity) {
        Write-Warning '4. Test-MailIdentity is not in this build of the module: the full-check part is skipped.'
        $Raw.fullCheck = 'skipped: Test-MailIdentity is not in the module'
    }
    else {
        Write-Step "4. Full checks for $n hosts, greeting delayed $($Size.GreetingDelayMs) ms"
        $smtpFile = Join-Path $WorkDirectory 'smtp-ips.txt'
        [IO.File]::WriteAllLines($smtpFile, [string[]]$ips[0..($n - 1)])
        $s = Invoke-Child -Name 'test-mailidentity' -Arguments "-Mode Identity -InputFile '$smtpFile' -DnsServer $DnsServer -Port $SmtpPort"
        if ($s.Count -ne $n -or $s.Errors -ne 0) { throw "Test-MailIdentity gave $($s.Count) reports of $n, $($s.Errors) errors: $($s.FirstError)" }
        $implementing = (Get-Command Test-MailIdentity).ImplementingType
        $throttle = [int]$implementing::new().ThrottleLimit
        $bound = $n * $delay / $throttle
        $swakSample = Join-Path $WorkDirectory 'swaks-ips.txt'
        [IO.File]::WriteAllLines($swakSample, [string[]]$ips[0..($Size.SwaksSample - 1)])
        $seq = Invoke-Timed -Name 'swaks-sequential' -Script "while read ip; do $swaks; done < '$swakSample' > '$WorkDirectory/swaks-sequential.out'"
        $greeted = @(Select-String -Path "$WorkDirectory/swaks-sequential.out" -Pattern '<-  250 ' -SimpleMatch).Count
        if ($greeted -lt $Size.SwaksSample) { throw "swaks reached EHLO on $greeted of $($Size.SwaksSample) hosts." }
        $seqScaled = $seq.Seconds * $n / $Size.SwaksSample

        $parallelFile = Join-Path $WorkDirectory 'parallel-ips.txt'
        $pn = [math]::Min($n, $Size.ParallelSwaks)
        [IO.File]::WriteAllLines($parallelFile, [string[]]$ips[0..($pn - 1)])
        $parallelScript = Join-Path $WorkDirectory 'swaks-parallel.ps1'
        Set-Content -LiteralPath $parallelScript -Value @"
Get-Content '$parallelFile' | ForEach-Object -ThrottleLimit $throttle -Parallel {
    swaks --server `$_ --port $SmtpPort --quit-after EHLO --helo bench-client.example --from bench@bench.example --to postmaster@bench.example --timeout 10
} | Set-Content '$WorkDirectory/swaks-parallel.out'
"@
        $par = Invoke-Timed -Name 'swaks-parallel' -Script "exec $PwshLine -NoProfile -NonInteractive -File '$parallelScript'"
        $greeted = @(Select-String -Path "$WorkDirectory/swaks-parallel.out" -Pattern '<-  250 ' -SimpleMatch).Count
        if ($greeted -lt $pn) { throw "swaks (ForEach-Object -Parallel) reached EHLO on $greeted of $pn hosts." }
        $parScaled = $par.Seconds * $n / $pn

        $Raw.fullCheck = [ordered]@{ Throttle = $throttle; DelayMs = $Size.GreetingDelayMs; LatencyBound = $bound; SwaksSequentialSample = $seq.Seconds; SwaksParallel = $par.Seconds; SwaksParallelN = $pn }
        $ratio = $s.WholeSeconds / $bound
        Add-Row -Part '4 Full check' -What "Test-MailIdentity (throttle $throttle), whole process" -N $n -Seconds $s.WholeSeconds -Compare 'this / latency bound' -Ratio $ratio -Target '<= 1.3' -Met ($ratio -le 1.3) -Cpu $s.CpuSeconds -Note "statuses $(($s.Statuses.GetEnumerator() | ForEach-Object { "$($_.Key) $($_.Value)" }) -join ', '); not passing: $(if ($s.NotPassing) { ($s.NotPassing.GetEnumerator() | ForEach-Object { "$($_.Key) x$($_.Value)" }) -join ', ' } else { 'none' }); e.g. $(@($s.Example) -join ' | ')"
        $ratio = ($s.RunMs / 1000) / $bound
        Add-Row -Part '4 Full check' -What "Test-MailIdentity (throttle $throttle), excluding start-up" -N $n -Seconds ($s.RunMs / 1000) -Compare 'this / latency bound' -Ratio $ratio -Target '<= 1.3' -Met ($ratio -le 1.3)
        Add-Row -Part '4 Full check' -What "Latency bound (N x $($Size.GreetingDelayMs) ms / $throttle)" -N $n -Seconds $bound
        $speedup = $seqScaled / $s.WholeSeconds
        foreach ($extra in $ExtraSmtpThrottle) {
            $e = Invoke-Child -Name "test-mailidentity-$extra" -Arguments "-Mode Identity -InputFile '$smtpFile' -DnsServer $DnsServer -Port $SmtpPort -ThrottleLimit $extra"
            if ($e.Count -ne $n -or $e.Errors -ne 0) { throw "Test-MailIdentity -ThrottleLimit $extra gave $($e.Count) reports of $n, $($e.Errors) errors: $($e.FirstError)" }
            $eBound = $n * $delay / $extra
            Add-Row -Part '4 Full check' -What "Test-MailIdentity -ThrottleLimit $extra, whole process" -N $n -Seconds $e.WholeSeconds -Cpu $e.CpuSeconds -Compare "this / its latency bound ($([math]::Round($eBound, 2)) s)" -Ratio ($e.WholeSeconds / $eBound) -Note "sequential swaks / this: $([math]::Round($seqScaled / $e.WholeSeconds, 1))"
            Add-Row -Part '4 Full check' -What "Test-MailIdentity -ThrottleLimit $extra, excluding start-up" -N $n -Seconds ($e.RunMs / 1000) -Compare "this / its latency bound" -Ratio (($e.RunMs / 1000) / $eBound)
        }
        Add-Row -Part '4 Full check' -What 'swaks --quit-after EHLO, sequential loop (scaled)' -N $n -Seconds $seqScaled -Compare 'this / Test-MailIdentity (speed-up of the cmdlet)' -Ratio $speedup -Target '>= 50' -Met ($speedup -ge 50) -Cpu ($seq.CpuSeconds * $n / $Size.SwaksSample) -Note "sample $($Size.SwaksSample)"
        Add-Row -Part '4 Full check' -What "ForEach-Object -Parallel -ThrottleLimit $throttle { swaks }$(if ($pn -lt $n) { ' (scaled)' })" -N $n -Seconds $parScaled -Compare 'this / Test-MailIdentity' -Ratio ($parScaled / $s.WholeSeconds) -Cpu ($par.CpuSeconds * $n / $pn) -Note "ran $pn hosts, whole process"

    }

    # --- 5. Peak memory -----------------------------------------------------------------------------------
    $memoryMode = if (Get-Command Test-MailIdentity -Module (Import-Module $Module -PassThru) -ErrorAction SilentlyContinue) { 'Identity' } else { 'Fcrdns' }
    $memoryCommand = if ($memoryMode -eq 'Identity') { 'Test-MailIdentity -SkipSmtp' } else { 'Test-ForwardConfirmedRdns' }
    $peaks = @{}
    foreach ($rowCount in $Size.MemorySmall, $Size.MemoryLarge) {
        Write-Step "5. Peak memory of $memoryCommand streaming $rowCount rows"
        $file = Join-Path $WorkDirectory "memory-$rowCount.txt"
        [IO.File]::WriteAllLines($file, [string[]]$ips[0..($rowCount - 1)])
        $s = Invoke-Child -Name "memory-$rowCount" -Arguments "-Mode $memoryMode -SkipSmtp -Stream -InputFile '$file' -DnsServer $DnsServer"
        if ($s.Count -ne $rowCount -or $s.Errors -ne 0) { throw "$memoryCommand gave $($s.Count) results of $rowCount, $($s.Errors) errors: $($s.FirstError)" }
        $peaks[$rowCount] = $s.PeakRssKiB
        Add-Row -Part '5 Memory' -What "$memoryCommand | ForEach-Object (streaming), peak RSS" -N $rowCount -Seconds ($s.RunMs / 1000) -Rate "$([math]::Round($s.PeakRssKiB / 1024)) MiB" -Cpu $s.CpuSeconds -Note "managed heap at the end $($s.HeapMiB) MiB; statuses $(($s.Statuses.GetEnumerator() | ForEach-Object { "$($_.Key) $($_.Value)" }) -join ', ')"
    }
    $ratio = $peaks[$Size.MemoryLarge] / $peaks[$Size.MemorySmall]
    Add-Row -Part '5 Memory' -What "peak at $($Size.MemoryLarge) / peak at $($Size.MemorySmall)" -N $Size.MemoryLarge -Seconds 0 -Rate '' -Compare 'ratio of peaks' -Ratio $ratio -Target '<= 1.5' -Met ($ratio -le 1.5)

    # --- 6. Import time -----------------------------------------------------------------------------------
    Write-Step "6. Import-Module in $($Size.ImportRuns) fresh processes"
    $imports = foreach ($i in 1..$Size.ImportRuns) { Invoke-Child -Name "import-$i" -Arguments '-Mode Import' }
    $importMs = @($imports | ForEach-Object { $_.ImportMs } | Sort-Object)
    $median = $importMs[[math]::Floor($importMs.Count / 2)]
    $startupMs = @($imports | ForEach-Object { $_.WholeSeconds * 1000 } | Sort-Object)[[math]::Floor($importMs.Count / 2)]
    Add-Row -Part '6 Import' -What 'Import-Module MailIdentity (median)' -N $Size.ImportRuns -Seconds ($median / 1000) -Rate '' -Compare 'seconds' -Ratio ($median / 1000) -Target '< 1' -Met ($median -lt 1000) -Note "runs: $(($importMs | ForEach-Object { [math]::Round($_) }) -join ', ') ms; whole pwsh process $([math]::Round($startupMs)) ms"
}
finally {
    if ($smtpServer -and -not $smtpServer.HasExited) {
        try { $smtpServer.StandardInput.Close() } catch { Write-Verbose $_ }
        if (-not $smtpServer.WaitForExit(10000)) { $smtpServer.Kill() }
    }
    Stop-LabDns -Directory $dnsDirectory
    Write-Step 'Bench lab stopped'
}

$machine.LoadAverageAtEnd = (Get-Content /proc/loadavg)
Write-Host "Machine: $($machine.Cpu), $($machine.Cores) cores, $($machine.Memory) RAM; load average at start $($machine.LoadAverageAtStart), at end $($machine.LoadAverageAtEnd)"
$Rows | Format-Table -AutoSize -Wrap Part, What, N, Seconds, CpuSeconds, PerSecond, Compare, Ratio, Target, Met, Note | Out-String -Width 250 | Write-Host
$null = New-Item -ItemType Directory -Force $ResultDirectory
$name = "bench-$([DateTime]::UtcNow.ToString('yyyyMMdd-HHmmss'))$(if ($Smoke) { '-smoke' }).json"
$out = Join-Path $ResultDirectory $name
[ordered]@{ Machine = $machine; Smoke = [bool]$Smoke; Sizes = $Size; DnsServer = $DnsServer; SmtpPort = $SmtpPort; Rows = $Rows; Raw = $Raw } |
    ConvertTo-Json -Depth 8 | Set-Content -LiteralPath $out
Write-Host "Results: $out"
