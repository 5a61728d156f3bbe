# The out-of-process fault DNS server as Pester tests use it (dig is the independent client here).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FaultDns.psm1') -Force
    $script:dns = Start-FaultDns -Record @(
        'mail.fault.example A 127.0.0.10'
        '10.0.0.127.in-addr.arpa PTR mail.fault.example'
    ) -Fault @('bad.fault.example=servfail', 'big.fault.example=large', 'silent.fault.example=drop') -MaxLifetimeSeconds 300
    function Invoke-Dig([string[]] $Arguments) {
        & dig -p $script:dns.Port "@$($script:dns.Address)" +time=1 +tries=1 @Arguments 2>&1 | Out-String
    }
}

AfterAll {
    if ($script:dns) { $script:dns | Stop-FaultDns }
}

Describe 'Start-FaultDns' {
    It 'reports a loopback server with the port it picked' {
        $script:dns.Server | Should -Match '^127\.0\.0\.1:\d+$'
        $script:dns.Port | Should -BeGreaterThan 0
        $script:dns.Process.HasExited | Should -BeFalse
    }

    It 'serves the zone lines' {
        Invoke-Dig @('+short', '-x', '127.0.0.10') | Should -Match 'mail\.fault\.example\.'
    }

    It 'answers SERVFAIL for a servfail rule' {
        Invoke-Dig @('bad.fault.example', 'A') | Should -Match 'status: SERVFAIL'
    }

    It 'truncates a large answer over UDP and sends it whole over TCP' {
        Invoke-Dig @('+ignore', 'big.fault.example', 'A') | Should -Match 'flags: qr aa tc'
        (Invoke-Dig @('+tcp', '+short', 'big.fault.example', 'A')).Trim().Split("`n").Count | Should -BeGreaterThan 20
    }

    It 'never answers a drop rule' {
        Invoke-Dig @('silent.fault.example', 'A') | Should -Match 'timed out|no servers could be reached'
    }

    It 'refuses a bad rule with a message naming it' {
        { Start-FaultDns -Fault 'x=explode' } | Should -Throw "*'x=explode'*"
    }
}

Describe 'Stop-FaultDns' {
    It 'ends the process' {
        $other = Start-FaultDns -Record 'a.fault.example A 127.0.0.1'
        $process = $other.Process
        $id = $process.Id
        $other | Stop-FaultDns
        Get-Process -Id $id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
