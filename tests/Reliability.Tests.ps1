#requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
# The promises in README.md "What MailIdentity promises": nothing lost, nothing hangs, nothing leaks.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot '../build/ChildPwsh.ps1')
    Import-BuiltModule
    Import-Module (Join-Path $PSScriptRoot 'MailIdentity.FaultDns/FaultDns.psm1') -Force
    $script:Lab = Get-TestLab
    $script:Psd1 = Join-Path $PSScriptRoot '../MailIdentity.psd1'
    $script:Port = $Lab.SmtpPort

    # A DNS server with the lab's data where some reverse names misbehave on demand.
    $script:FaultDns = Start-FaultDns -LabHosts (Join-Path $PSScriptRoot 'lab/lab-hosts.json') -Fault @(
        '1.6.0.127.in-addr.arpa=servfail'
        '2.6.0.127.in-addr.arpa=refused'
        '3.6.0.127.in-addr.arpa=drop'
        '4.6.0.127.in-addr.arpa=slow:20000'
        '6.1.0.127.in-addr.arpa=truncate'
        '6.6.0.127.in-addr.arpa=malformed'
        '7.6.0.127.in-addr.arpa=cname-loop'
    )

    function Get-OpenDescriptorCount {
        param([int] $ProcessId)
        (Get-ChildItem "/proc/$ProcessId/fd" -ErrorAction SilentlyContinue).Count
    }

    function Get-EstablishedTo {
        # Client sockets of this machine connected to ip:port, from /proc/net/tcp (state 01 = ESTABLISHED).
        param([string] $IPAddress, [int] $Port)
        $b = ([ipaddress]$IPAddress).GetAddressBytes()
        [array]::Reverse($b)
        $remote = ('{0}:{1:X4}' -f (($b | ForEach-Object { $_.ToString('X2') }) -join ''), $Port)
        @(Get-Content /proc/net/tcp | Select-Object -Skip 1 | Where-Object {
                $f = $_.Trim() -split '\s+'; $f[2] -eq $remote -and $f[3] -eq '01' }).Count
    }
}

AfterAll {
    if ($script:FaultDns) { $script:FaultDns | Stop-FaultDns }
}

Describe 'Nothing is lost: N inputs give N outputs, in input order' {
    It 'healthy hosts, every SMTP and DNS fault, and bad rows each yield one report or one error naming the input' {
        $rows = [System.Collections.Generic.List[object]]::new()
        $rows.Add([pscustomobject]@{ IP = '127.0.1.1'; Domain = 'c01.example' })
        $rows.Add([pscustomobject]@{ IP = '127.0.1.8'; Domain = 'c08.example' })
        foreach ($i in 1..12) { $rows.Add([pscustomobject]@{ IP = "127.0.5.$i"; Domain = 'faults.example' }) }
        foreach ($i in 1..4 + 6..7) { $rows.Add([pscustomobject]@{ IP = "127.0.6.$i"; Domain = '' }) }
        $rows.Add([pscustomobject]@{ IP = '127.0.1.6'; Domain = '' })                     # truncated over UDP: TCP
        $rows.Add([pscustomobject]@{ IP = 'not-an-ip'; Domain = 'x.example' })
        $rows.Add([pscustomobject]@{ IP = ''; Domain = '' })                              # empty fields
        $rows.Add([pscustomobject]@{ Colour = 'blue'; Size = 3 })                         # unknown columns only
        $rows.Add([pscustomobject]@{ IP = ''; HostName = 'nope.c01.example' })            # does not exist
        $rows.Add([pscustomobject]@{ IP = ''; HostName = 'mäil.c01.example' })            # IDN, does not exist
        $rows.Add([pscustomobject]@{ IP = ''; HostName = ('a' * 300) + '.example' })      # too long
        $rows.Add([pscustomobject]@{ IP = '127.0.1.3'; Domain = 'c03.example' })

        $watch = [Diagnostics.Stopwatch]::StartNew()
        $out = @($rows | Test-MailIdentity -DnsServer $FaultDns.Server -Port $Port -TimeoutSeconds 3 -ErrorAction Continue 2>&1)
        $watch.Stop()

        $out.Count | Should -Be $rows.Count
        for ($i = 0; $i -lt $rows.Count; $i++) {
            $row = $rows[$i]; $o = $out[$i]
            $key = if ($row.PSObject.Properties['IP'] -and $row.IP) { $row.IP } elseif ($row.PSObject.Properties['HostName'] -and $row.HostName) { $row.HostName } else { $null }
            if ($o -is [System.Management.Automation.ErrorRecord]) {
                if ($key) { "$($o.TargetObject)" | Should -Be $key -Because "output $i is the error of row $i" }
                else { $o.TargetObject | Should -Not -BeNullOrEmpty -Because "row $i has no IP or HostName" }
                $o.Exception.Message | Should -Not -BeNullOrEmpty
            }
            else {
                $o.GetType().Name | Should -Be 'MailIdentityReport'
                $o.Input | Should -Be $key -Because "output $i is the report of row $i"
            }
        }
        # Every probe is bounded: 3 s each, all at once, plus start-up.
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 15
        # DNS faults are Inconclusive (never Fail); the truncated answer was fetched over TCP.
        foreach ($i in 14..19) { $out[$i].Status | Should -Be 'Inconclusive' -Because "$($rows[$i].IP) had a DNS fault" }
        $out[20].Ptr | Should -Be @('mail.c06a.example', 'mail.c06b.example')
    }

    It 'the fake servers received only EHLO, HELO, STARTTLS and QUIT' {
        $null = 9, 10 | ForEach-Object { Test-MailIdentity "127.0.5.$_" -DnsServer $Lab.DnsServer -Port $Port -StartTls -TimeoutSeconds 5 }
        $log = Join-Path ([IO.Path]::GetTempPath()) 'mailidentity-lab/smtp/commands.log'
        $commands = Get-Content $log | ForEach-Object { (($_ -split "`t")[3] -split ' ')[0].ToUpperInvariant() } | Sort-Object -Unique
        $commands | Should -Not -BeNullOrEmpty
        foreach ($c in $commands) { $c | Should -BeIn 'EHLO', 'HELO', 'STARTTLS', 'QUIT' }
    }
}

Describe 'Nothing hangs: no probe outlives its timeout' {
    It '<Id> (<What>) ends within 2 s + margin' -ForEach @(
        @{ Id = 'F01'; Ip = '127.0.5.1'; What = 'silence' }
        @{ Id = 'F02'; Ip = '127.0.5.2'; What = 'one byte a second' }
        @{ Id = 'F03'; Ip = '127.0.5.3'; What = 'a line that never ends' }
        @{ Id = 'F04'; Ip = '127.0.5.4'; What = 'garbage' }
    ) {
        $w = [Diagnostics.Stopwatch]::StartNew()
        $r = Test-MailIdentity $Ip -DnsServer $Lab.DnsServer -Port $Port -TimeoutSeconds 2
        $w.Elapsed.TotalSeconds | Should -BeLessThan 3.5
        $r.Status | Should -BeIn 'Inconclusive', 'Fail'
    }

    It 'a DNS server that never answers is cut off at -TimeoutSeconds' {
        $w = [Diagnostics.Stopwatch]::StartNew()
        $r = Get-PtrRecord 127.0.6.3 -DnsServer $FaultDns.Server -TimeoutSeconds 2 -ErrorAction SilentlyContinue
        $w.Elapsed.TotalSeconds | Should -BeLessThan 3.5
        $r.Status | Should -Be 'Timeout'
    }

    It 'Stop (Ctrl+C) returns within a second and leaves no connection open' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$Psd1'; 1..40 | ForEach-Object { '127.0.5.1' } | Get-SmtpBanner -Port $Port -TimeoutSeconds 60 -ThrottleLimit 20")
            $handle = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while ((Get-EstablishedTo -IPAddress 127.0.5.1 -Port $Port) -lt 20 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            (Get-EstablishedTo -IPAddress 127.0.5.1 -Port $Port) | Should -BeGreaterOrEqual 20
            $w = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $w.Elapsed.TotalSeconds | Should -BeLessThan 1
            $handle.IsCompleted | Should -BeTrue
            Start-Sleep -Milliseconds 500
            # Server-side sockets may linger in CLOSE_WAIT; our client side must be gone (no ESTABLISHED to the server).
            Get-EstablishedTo -IPAddress 127.0.5.1 -Port $Port | Should -Be 0
        }
        finally { $ps.Dispose() }
    }
}

Describe 'Nothing leaks' {
    It 'thousands of faulty probes leave no sockets or threads behind, and repeated runs do not grow' {
        $script = @"
Import-Module '$Psd1'
`$targets = foreach (`$i in 1..500) { '127.0.5.3'; '127.0.5.4'; '127.0.5.5'; '127.0.5.12' }
`$targets += 1..100 | ForEach-Object { '127.0.5.1' }
function Run { `$null = `$targets | Get-SmtpBanner -Port $Port -TimeoutSeconds 1 -ThrottleLimit 100 -ErrorAction SilentlyContinue; [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect(); Start-Sleep -Milliseconds 500 }
function Fds { (Get-ChildItem /proc/`$PID/fd).Count }
function Threads { (Get-ChildItem /proc/`$PID/task).Count }
Run
`$fd0 = Fds; `$t0 = Threads
Run
`$fd1 = Fds; `$t1 = Threads
Run
`$fd2 = Fds
"`$fd0 `$fd1 `$fd2 `$t0 `$t1 `$(`$targets.Count)"
"@
        $line = (Invoke-ChildPwsh -Command $script).Trim() -split '\s+'
        $fd0, $fd1, $fd2, $t0, $t1, $count = [int[]]$line
        $count | Should -Be 2100
        ($fd1 - $fd0) | Should -BeLessOrEqual 4 -Because "open descriptors went from $fd0 to $fd1 after 2100 faulty probes"
        ($fd2 - $fd0) | Should -BeLessOrEqual 4 -Because "open descriptors went from $fd0 to $fd2 after two more runs"
        ($t1 - $t0) | Should -BeLessOrEqual 8 -Because "threads went from $t0 to $t1"
    }

    It 'memory stays bounded: 100,000 rows need no more than 1.5x the peak of 1,000 rows' {
        $peak = {
            param([int] $Rows)
            $script = @"
Import-Module '$Psd1'
`$n = 0
1..$Rows | ForEach-Object { [pscustomobject]@{ IP = "127.0.1.`$((`$_ % 13) + 1)"; Domain = 'c01.example' } } |
    Test-MailIdentity -SkipSmtp -DnsServer $($Lab.DnsServer) -ThrottleLimit 64 | ForEach-Object { `$n++ }
`$hwm = (Get-Content /proc/`$PID/status | Where-Object { `$_ -like 'VmHWM:*' }) -replace '\D', ''
"`$n `$hwm"
"@
            $n, $kb = [long[]]((Invoke-ChildPwsh -Command $script).Trim() -split '\s+')
            $n | Should -Be $Rows
            $kb
        }
        $small = & $peak 1000
        $large = & $peak 100000
        ($large / $small) | Should -BeLessOrEqual 1.5 -Because "peak RSS was $small KiB for 1,000 rows and $large KiB for 100,000"
    }
}

Describe 'Server text cannot reach the terminal raw' {
    It 'ANSI escapes in a banner are escaped in every display property of the report' {
        $r = Test-MailIdentity 127.0.5.11 -DnsServer $Lab.DnsServer -Port $Port -TimeoutSeconds 5
        $esc = [char]27
        $smtp = $r.GetEvidence().Smtp
        $smtp.RawGreeting | Should -Contain 27
        foreach ($p in $r.PSObject.Properties) { "$($p.Value)" | Should -Not -Match $esc -Because $p.Name }
        foreach ($f in $r.Findings) { "$($f.Message) $($f.Evidence) $($f.Remediation)" | Should -Not -Match $esc }
        foreach ($line in $smtp.GreetingLines + $smtp.Transcript) { $line | Should -Not -Match $esc }
        $smtp.GreetingLines[0] | Should -BeLike '*\e`[31mRED*'
        ($r | Format-List * | Out-String) | Should -Not -Match "$esc\]0;"
    }
}
