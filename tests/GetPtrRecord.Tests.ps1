#requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'lab/Lab.ps1')
    $script:LabHosts = (Get-LabData).hosts | Where-Object { $_.expect.ptrStatus } |
        ForEach-Object { @{ Id = $_.id; Ip = $_.ip; Ptr = @($_.ptr); Status = $_.expect.ptrStatus; Summary = $_.summary; Cname = $_.expect.PSObject.Properties['cname']?.Value } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-BuiltModule
    $script:Lab = Get-TestLab
    $script:Dns = $Lab.DnsServer
}

Describe 'Get-PtrRecord against the lab''s BIND9' {
    It '<Id>: <Summary> -> <Status>' -ForEach $LabHosts {
        $r = Get-PtrRecord -IPAddress $Ip -DnsServer $Dns -ErrorAction SilentlyContinue
        $r.Status | Should -Be $Status
        $r.IPAddress.ToString() | Should -Be $Ip
        $r.ReverseName | Should -Be ((($Ip -split '\.')[3..0] -join '.') + '.in-addr.arpa')
        if ($Status -eq 'Found') {
            $r.Server | Should -Be $Dns
            $r.TimeToLive | Should -Be 300
            if ($Cname) { $r.CanonicalName | Should -Be $Cname; $r.Hostnames | Should -Not -BeNullOrEmpty }
            else { @($r.Hostnames) | Should -Be @($Ptr | Sort-Object) }
        }
        else {
            $r.Hostnames | Should -BeNullOrEmpty
        }
    }

    It 'returns every PTR name, normalised and sorted (C06 has two)' {
        $r = Get-PtrRecord 127.0.1.6 -DnsServer $Dns
        $r.Hostnames | Should -Be @('mail.c06a.example', 'mail.c06b.example')
        $r.Hostname | Should -Be 'mail.c06a.example'
    }

    It 'follows an RFC 2317 CNAME and shows the hop (C08)' {
        $r = Get-PtrRecord 127.0.1.8 -DnsServer $Dns
        $r.Status | Should -Be 'Found'
        $r.CnameChain | Should -Be @('8.0/26.1.0.127.in-addr.arpa')
        $r.Hostnames | Should -Be @('mail.c08.example')
    }

    It 'looks up IPv6 addresses in ip6.arpa' {
        $r = Get-PtrRecord 2001:db8::25 -DnsServer $Dns
        $r.Status | Should -Be 'Found'
        $r.ReverseName | Should -Be '5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa'
        $r.Hostnames | Should -Be @('mail6.doc.example')
        (Get-PtrRecord ::1 -DnsServer $Dns).Status | Should -Be 'NotFound'
    }

    It 'makes a SERVFAIL a result with status ServerFailure AND a non-terminating error (C10)' {
        $r = Get-PtrRecord 127.0.1.10 -DnsServer $Dns -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.Status | Should -Be 'ServerFailure'
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'DnsServerFailure,*'
        $errs[0].TargetObject | Should -Be '127.0.1.10'
    }

    It 'reports bad input by name and goes on with the pipeline, in input order' {
        $in = '127.0.1.1', 'not-an-ip', '', '10.1', '127.0.1.3', '999.1.1.1', '2001:db8::25'
        $out = $in | Get-PtrRecord -DnsServer $Dns -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 3
        $out.IPAddress.ForEach({ $_.ToString() }) | Should -Be @('127.0.1.1', '127.0.1.3', '2001:db8::25')
        $errs.Count | Should -Be 4
        $errs.TargetObject | Should -Be @('not-an-ip', '', '10.1', '999.1.1.1')
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidIPAddress,*'
        $errs[0].Exception.Message | Should -BeLike "*'not-an-ip' is not an IP address*"
    }

    It 'an object without an IP column gets its own error naming it, in input order' {
        $in = '127.0.1.1', [pscustomobject]@{ Colour = 'blue' }, '127.0.1.3'
        $out = @($in | Get-PtrRecord -DnsServer $Dns -ErrorAction Continue 2>&1)
        $out.Count | Should -Be 3
        $out[0].Hostname | Should -Be 'mail.c01.example'
        $out[1] | Should -BeOfType [System.Management.Automation.ErrorRecord]
        $out[1].FullyQualifiedErrorId | Should -BeLike 'NoTargetInInput,*'
        $out[1].Exception.Message | Should -BeLike '*Colour=blue*IPAddress*'
        $out[2].Status | Should -Be 'NotFound'
    }

    It 'binds CSV columns by property name (IP, Address, SendingIP)' {
        $rows = @(
            [pscustomobject]@{ IP = '127.0.1.1' }
            [pscustomobject]@{ Address = '127.0.1.5' }
            [pscustomobject]@{ SendingIP = '127.0.1.6' }
        )
        ($rows | Get-PtrRecord -DnsServer $Dns).Hostname | Should -Be @('mail.c01.example', 'mail.c05.example', 'mail.c06a.example')
    }

    It 'accepts [ipaddress] objects and several -DnsServer forms' {
        $r = [ipaddress]'127.0.1.1' | Get-PtrRecord -DnsServer '127.0.0.1:5300', '[::1]:5300'
        $r.Hostname | Should -Be 'mail.c01.example'
    }

    It 'stops with a clear terminating error for a malformed -DnsServer' {
        { Get-PtrRecord 127.0.1.1 -DnsServer '127.0.0.1:99999' -ErrorAction Stop } | Should -Throw '*invalid port*'
        { Get-PtrRecord 127.0.1.1 -DnsServer 'dns.example' -ErrorAction Stop } | Should -Throw "*'dns.example' is not an IP address*"
    }

    It 'reports a Timeout within the bound when nothing answers' {
        # 127.0.0.1 port 9 (discard) has no DNS server: the lookup must end as Timeout, not hang.
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $r = Get-PtrRecord 127.0.1.1 -DnsServer 127.0.0.1:9 -TimeoutSeconds 2 -DnsRetries 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 4
        $r.Status | Should -BeIn 'Timeout', 'Error'
        $errs.Count | Should -Be 1
    }
}
