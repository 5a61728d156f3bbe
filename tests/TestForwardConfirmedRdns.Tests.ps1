#requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'lab/Lab.ps1')
    $script:LabHosts = (Get-LabData).hosts | Where-Object { $_.expect.fcrdns } |
        ForEach-Object { @{ Id = $_.id; Ip = $_.ip; Expected = $_.expect.fcrdns; Summary = $_.summary } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-BuiltModule
    $script:Lab = Get-TestLab
    $script:Dns = $Lab.DnsServer
}

Describe 'Test-ForwardConfirmedRdns against the lab''s BIND9' {
    It '<Id>: <Summary> -> <Expected>' -ForEach $LabHosts {
        $r = Test-ForwardConfirmedRdns -IPAddress $Ip -DnsServer $Dns -ErrorAction SilentlyContinue
        $r.Status | Should -Be $Expected
        $r.Confirmed | Should -Be ($Expected -eq 'Confirmed')
        $r.Reason | Should -Not -BeNullOrEmpty
    }

    It 'C04: explains that the old PTR name does not resolve any more' {
        $r = Test-ForwardConfirmedRdns 127.0.1.4 -DnsServer $Dns
        $r.Status | Should -Be 'NotConfirmed'
        $r.Reason | Should -BeLike '*old-name.c04.example does not exist*'
        $r.Names[0].Status | Should -Be 'NotFound'
    }

    It 'C05: names the address the PTR name really resolves to' {
        $r = Test-ForwardConfirmedRdns 127.0.1.5 -DnsServer $Dns
        $r.Reason | Should -Be 'mail.c05.example resolves to 127.0.9.5, not 127.0.1.5.'
        $r.Names[0].Addresses | Should -Be @('127.0.9.5')
        $r.Names[0].Matches | Should -BeFalse
    }

    It 'C06: confirms both names of a double PTR' {
        $r = Test-ForwardConfirmedRdns 127.0.1.6 -DnsServer $Dns
        $r.ConfirmedNames | Should -Be @('mail.c06a.example', 'mail.c06b.example')
    }

    It 'C03: says NoPtr, not NotConfirmed, when there is no PTR' {
        (Test-ForwardConfirmedRdns 127.0.1.3 -DnsServer $Dns).Reason | Should -BeLike '*has no PTR record*NXDOMAIN*'
    }

    It 'C10: a SERVFAIL makes the answer Inconclusive with an error record, never NotConfirmed' {
        $r = Test-ForwardConfirmedRdns 127.0.1.10 -DnsServer $Dns -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.Status | Should -Be 'Inconclusive'
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'DnsServerFailure,*'
    }

    It 'C09 IPv6: ::1 has no PTR, so the IPv6 side is NoPtr' {
        (Test-ForwardConfirmedRdns ::1 -DnsServer $Dns).Status | Should -Be 'NoPtr'
        (Test-ForwardConfirmedRdns 2001:db8::25 -DnsServer $Dns).Status | Should -Be 'Confirmed'
    }

    It 'a documentation IPv4 whose two PTR names resolve elsewhere and back' {
        $r = Test-ForwardConfirmedRdns 192.0.2.26 -DnsServer $Dns
        $r.Status | Should -Be 'Confirmed'
        $r.ConfirmedNames | Should -Be @('second.doc.example')
        ($r.Names | Where-Object Name -eq 'first.doc.example').Matches | Should -BeFalse
    }

    It '-Quiet returns one bool per input, bad input an error' {
        $out = '127.0.1.1', '127.0.1.5', 'nope', '127.0.1.3' |
            Test-ForwardConfirmedRdns -DnsServer $Dns -Quiet -ErrorVariable errs -ErrorAction SilentlyContinue
        $out | Should -Be @($true, $false, $false)
        $errs.Count | Should -Be 1
        $errs[0].TargetObject | Should -Be 'nope'
    }
}
