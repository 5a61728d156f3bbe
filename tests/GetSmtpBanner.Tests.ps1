#requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
# Get-SmtpBanner against the lab: the project's fake SMTP server (every greetings.tsv row, every fault) and
# a real Debian Postfix (default banner, custom banner, the myhostname fix after a reload, postscreen).
# Ad-hoc fake hosts listen on 127.0.3.x (greetings) and 127.0.4.x (faults); the throwaway Postfix on 127.0.4.100.

BeforeDiscovery {
    $index = 0
    $script:GreetingRows = foreach ($line in Get-Content (Join-Path $PSScriptRoot 'cases/greetings.tsv')) {
        if (-not $line -or $line.StartsWith('#')) { continue }
        $cells = $line -split "`t"
        $index++
        @{ Id = $cells[0]; Greeting = $cells[1]; Expected = $(if ($cells[2] -eq '""') { '' } else { $cells[2] })
           Code = [int]$cells[3]; What = $cells[4]; Ip = "127.0.3.$(10 + $index)" }
    }
    $script:Faults = @(
        @{ Name = 'connection refused'; Ip = '127.0.4.1'; Status = 'ConnectionRefused'; ErrorId = 'SmtpConnectionRefused' }
        @{ Name = 'silence'; Ip = '127.0.4.2'; Status = 'Timeout'; ErrorId = 'SmtpTimeout' }
        @{ Name = 'a byte a second (drip)'; Ip = '127.0.4.3'; Status = 'Timeout'; ErrorId = 'SmtpTimeout' }
        @{ Name = 'an endless line'; Ip = '127.0.4.4'; Status = 'ProtocolError'; ErrorId = 'SmtpProtocolError' }
        @{ Name = 'binary garbage'; Ip = '127.0.4.5'; Status = 'ProtocolError'; ErrorId = 'SmtpProtocolError' }
        @{ Name = 'close in the middle of a line'; Ip = '127.0.4.6'; Status = 'ConnectionReset'; ErrorId = 'SmtpConnectionReset' }
        @{ Name = 'a broken TLS handshake'; Ip = '127.0.4.7'; Status = 'Ok'; ErrorId = 'SmtpTlsFailed' }
        @{ Name = 'a self-signed certificate'; Ip = '127.0.4.8'; Status = 'Ok'; ErrorId = $null }
        @{ Name = 'an expired certificate'; Ip = '127.0.4.9'; Status = 'Ok'; ErrorId = $null }
    )
}

BeforeAll {
    $root = Split-Path $PSScriptRoot -Parent
    if (-not (Test-Path (Join-Path $root 'bin/MailIdentity.dll'))) { throw 'The module is not built. Run: dotnet pwsh ./build.ps1 -Task Build' }
    Import-Module (Join-Path $root 'MailIdentity.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'lab/Lab.ps1')
    . (Join-Path $PSScriptRoot 'lab/SmtpLab.ps1')
    . (Join-Path $PSScriptRoot 'lab/PostfixLab.ps1')
    $script:State = Start-MailLab
    $script:Lab = Get-LabData -Path $(if (Test-Path $State.DataFile) { $State.DataFile } else { Join-Path $PSScriptRoot 'lab/lab-hosts.json' })
    $script:Dns = $State.DnsServer
    $script:Port = [int]$Lab.smtpPort

    # A lab started without its SMTP half (-DnsOnly, an older checkout) gets it now. Both calls reuse what
    # runs. The shared lab is never stopped here: Stop-MailLab (build.ps1) stops all of it.
    $null = Start-SmtpLab -Lab $Lab -Directory $State.Directory
    $null = Start-PostfixLab -Lab $Lab -Directory $State.Directory

    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "mailidentity-smtp-tests-$PID"
    $specs = [System.Collections.Generic.List[string]]::new()
    function Add-Spec([string] $Id, [string] $Ip, [string] $Greeting, [string] $Behavior = 'normal', [string] $Ehlo) {
        $spec = [ordered]@{ id = $Id; ip = $Ip; port = $script:Port; greeting = $Greeting; behavior = $Behavior }
        if ($Ehlo) { $spec.ehlo = $Ehlo }
        $specs.Add(($spec | ConvertTo-Json -Compress))
    }
    foreach ($row in $GreetingRows) { Add-Spec $row.Id $row.Ip $row.Greeting }
    $plain = '220 fault.example.test ESMTP LabServer waiting a while for this line\r\n'
    Add-Spec 'silence' '127.0.4.2' $plain 'silence'
    Add-Spec 'drip' '127.0.4.3' $plain 'drip:1000'
    Add-Spec 'endless' '127.0.4.4' $plain 'endless'
    Add-Spec 'garbage' '127.0.4.5' $plain 'garbage'
    Add-Spec 'close-mid-line' '127.0.4.6' $plain 'close-mid-line'
    Add-Spec 'tls-fail' '127.0.4.7' '220 tls.example.test ESMTP\r\n' 'tls-fail'
    Add-Spec 'tls-self-signed' '127.0.4.8' '220 tls.example.test ESMTP\r\n' 'tls-self-signed'
    Add-Spec 'tls-expired' '127.0.4.9' '220 tls.example.test ESMTP\r\n' 'tls-expired'
    Add-Spec 'delay' '127.0.4.10' '220 late.example.test ESMTP Postfix\r\n' 'delay:2500'
    Add-Spec 'refuse-ehlo' '127.0.4.11' '220 old.example.test SMTP Sendmail 8.9.3/8.9.3\r\n' 'refuse-ehlo'
    Add-Spec 'ansi' '127.0.4.12' '220 ansi.example.test ESMTP \e]0;owned\x07\e[31mred\e[0m\r\n' 'normal' '250-ansi.example.test \e[2J\r\n250 X-\e[5mBLINK\r\n'
    Add-Spec 'extensions' '127.0.4.13' '220 mx.example.test ESMTP\r\n' 'normal' '250-mx.example.test Hello\r\n250-PIPELINING\r\n250-SIZE 35882577\r\n250-AUTH PLAIN LOGIN\r\n250-ENHANCEDSTATUSCODES\r\n250-STARTTLS\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n'
    Add-Spec 'noehlo' '127.0.4.14' '220 quiet.example.test ESMTP\r\n'
    Add-Spec 'good' '127.0.4.15' '220 good.example.test ESMTP Postfix\r\n'
    $null = Start-SmtpFakeServer -Directory $Work -HostSpec $specs
    $script:CommandLog = Join-Path $Work 'commands.log'
    $script:Good = '127.0.4.15'

    function script:Get-LoggedCommand([string] $Id) {
        @(Get-Content $script:CommandLog -ErrorAction SilentlyContinue | ForEach-Object {
            $f = $_ -split "`t", 4
            if ($f[0] -eq $Id) { [pscustomobject]@{ Id = $f[0]; Client = $f[2]; Command = $f[3] } }
        })
    }
}

AfterAll {
    if ($script:Work) {
        Stop-SmtpFakeServer -Directory $Work
        Stop-PostfixInstance -Directory (Join-Path $Work 'postfix')
        Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue
    }
}

Describe 'Get-SmtpBanner reads every greeting shape of greetings.tsv from the fake server' {
    BeforeAll {
        $ips = $GreetingRows | ForEach-Object { $_.Ip }
        $script:ByIp = @{}
        Get-SmtpBanner $ips -Port $Port -DnsServer $Dns -TimeoutSeconds 10 -ErrorAction SilentlyContinue |
            ForEach-Object { $ByIp[$_.IPAddress.ToString()] = $_ }
    }

    It '<Id>: <What>' -ForEach $GreetingRows {
        $r = $ByIp[$Ip]
        $r | Should -Not -BeNullOrEmpty
        $r.ReplyCode | Should -Be $Code
        $kind = switch -Regex ($Expected) {
            '^$' { 'Missing' } '^\*masked\*$' { 'Masked' } '^\[' { 'AddressLiteral' }
            default { if ($Expected -match '^([a-z0-9-]+\.)+[a-z][a-z0-9-]*$') { 'Fqdn' } else { 'NotFqdn' } }
        }
        $r.BannerHostKind | Should -Be $kind
        if ($kind -in 'Missing', 'Masked') { $r.BannerHost | Should -BeNullOrEmpty }
        else { $r.BannerHost | Should -Be $Expected }   # -Be compares case-insensitively, as host names are
        $r.Status | Should -Be $(switch ([int]($Code / 100)) { 2 { 'Ok' } 4 { 'Busy' } default { 'Rejected' } })
        $r.GreetingLines.Count | Should -Be ([regex]::Matches($Greeting, '\\n').Count)
    }
}

Describe 'Get-SmtpBanner against a real Postfix' {
    It 'C01: reads the default banner, the EHLO host and the extensions' {
        $r = Get-SmtpBanner 127.0.1.1 -Port $Port -DnsServer $Dns -TimeoutSeconds 15
        $r.Status | Should -Be 'Ok'
        $r.GreetingLines | Should -Be @('220 mail.c01.example ESMTP Postfix (Debian/GNU)')
        $r.BannerHost | Should -Be 'mail.c01.example'
        $r.BannerHostKind | Should -Be 'Fqdn'
        $r.Software | Should -Be 'Postfix'
        $r.EhloCode | Should -Be 250
        $r.EhloHost | Should -Be 'mail.c01.example'
        $r.Extensions | Should -Contain 'PIPELINING'
        $r.Extensions | Should -Contain '8BITMIME'
    }

    It 'resolves a host name through -DnsServer and probes its address' {
        $r = Get-SmtpBanner mail.c01.example -Port $Port -DnsServer $Dns -TimeoutSeconds 15
        $r.Target | Should -Be 'mail.c01.example'
        $r.IPAddress.ToString() | Should -Be '127.0.1.1'
        $r.BannerHost | Should -Be 'mail.c01.example'
    }

    It 'C11: reads the postscreen greeting whole (220- teaser, final 220 line 6 s later), host from the first line' {
        $r = Get-SmtpBanner 127.0.1.11 -Port $Port -DnsServer $Dns
        $r.Status | Should -Be 'Ok'
        $r.GreetingLines.Count | Should -Be 2
        $r.GreetingLines[0] | Should -BeLike '220-mail.c11.example *'
        $r.GreetingLines[1] | Should -BeLike '220 mail.c11.example *'
        $r.BannerHost | Should -Be 'mail.c11.example'
        $r.GreetingTime.TotalSeconds | Should -BeGreaterThan 5
        $r.TotalTime.TotalSeconds | Should -BeLessThan 30
    }

    Context 'a throwaway Postfix whose configuration the test changes' {
        BeforeAll {
            $script:PfDir = Join-Path $Work 'postfix'
            $script:PfService = @([pscustomobject]@{ IPAddress = '127.0.4.100'; Port = $Port })
            $script:PfEtc = New-PostfixInstance -Directory $PfDir -Service $PfService -MyHostname 'localhost.localdomain'
            Start-PostfixInstance -Directory $PfDir -Service $PfService
            function script:Wait-Banner([scriptblock] $Until) {
                # A reload lets running smtpd processes finish; new connections see the new configuration.
                $deadline = [DateTime]::UtcNow.AddSeconds(15)
                do {
                    $r = Get-SmtpBanner 127.0.4.100 -Port $Port -DnsServer $Dns -TimeoutSeconds 10 -NoEhlo
                    if (& $Until $r) { return $r }
                    Start-Sleep -Milliseconds 300
                } while ([DateTime]::UtcNow -lt $deadline)
                $r
            }
        }

        It 'shows the misconfigured name first' {
            $r = Get-SmtpBanner 127.0.4.100 -Port $Port -DnsServer $Dns -TimeoutSeconds 10
            $r.BannerHost | Should -Be 'localhost.localdomain'
            $r.Software | Should -Be 'Postfix'
        }

        It 'reads a custom smtpd_banner after postfix reload' {
            & postconf -c $PfEtc -e 'smtpd_banner = $myhostname ESMTP MailIdentity lab relay' | Out-Null
            (Invoke-Postfix "postfix -c $PfEtc reload").ExitCode | Should -Be 0
            $r = Wait-Banner { param($r) $r.Greeting -like '*MailIdentity lab relay*' }
            $r.GreetingLines | Should -Be @('220 localhost.localdomain ESMTP MailIdentity lab relay')
            $r.Software | Should -Be 'Unknown'
        }

        It 'the fix (postconf -e myhostname=mail.example.test; postfix reload) changes the banner the probe reads' {
            & postconf -c $PfEtc -e 'myhostname=mail.example.test' | Out-Null
            (Invoke-Postfix "postfix -c $PfEtc reload").ExitCode | Should -Be 0
            $r = Wait-Banner { param($r) $r.BannerHost -eq 'mail.example.test' }
            $r.BannerHost | Should -Be 'mail.example.test'
            $r.BannerHostKind | Should -Be 'Fqdn'
        }
    }
}

Describe 'Get-SmtpBanner against faulty servers' {
    It '<Name>: ends within the timeout as <Status>, and the next input is still probed' -ForEach $Faults {
        $timeout = 3
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $out = @(Get-SmtpBanner $Ip, $Good -Port $Port -DnsServer $Dns -TimeoutSeconds $timeout -StartTls -ErrorVariable errs -ErrorAction SilentlyContinue)
        $clock.Stop()
        $clock.Elapsed.TotalSeconds | Should -BeLessThan ($timeout + 2)
        $out.Count | Should -Be 2
        $out[0].IPAddress.ToString() | Should -Be $Ip
        $out[0].Status | Should -Be $Status
        $out[0].TotalTime.TotalSeconds | Should -BeLessThan ($timeout + 1)
        $out[1].Status | Should -Be 'Ok'
        $out[1].BannerHost | Should -Be 'good.example.test'
        if ($ErrorId) {
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $errs[0].TargetObject | Should -Be $Ip
            $errs[0].Exception.Message | Should -BeLike "*$Ip*"
        }
        else { $errs.Count | Should -Be 0 }
        if ($Status -ne 'Ok') { $out[0].ErrorMessage | Should -Not -BeNullOrEmpty }
        foreach ($line in @($out[0].Transcript) + @($out[0].GreetingLines)) { $line | Should -Not -Match '[\x00-\x08\x0b-\x1f\x7f]' }
    }

    It 'keeps what a dripping server sent before the timeout (raw bytes, escaped transcript)' {
        $r = Get-SmtpBanner 127.0.4.3 -Port $Port -DnsServer $Dns -TimeoutSeconds 2 -ErrorAction SilentlyContinue
        $r.Status | Should -Be 'Timeout'
        $r.RawGreeting.Length | Should -BeGreaterThan 0
        $r.RawGreeting.Length | Should -BeLessThan 10
        ($r.Transcript -join "`n") | Should -BeLike '*<- 2*`[no line end`]*'
    }

    It 'an endless line costs at most the line limit, long before the timeout' {
        $r = Get-SmtpBanner 127.0.4.4 -Port $Port -DnsServer $Dns -TimeoutSeconds 20 -ErrorAction SilentlyContinue
        $r.Status | Should -Be 'ProtocolError'
        $r.TotalTime.TotalSeconds | Should -BeLessThan 5
        $r.RawGreeting.Length | Should -BeLessOrEqual 2050
    }

    It 'records a failed TLS handshake on the object' {
        $r = Get-SmtpBanner 127.0.4.7 -Port $Port -DnsServer $Dns -TimeoutSeconds 5 -StartTls -ErrorAction SilentlyContinue
        $r.StartTlsOffered | Should -BeTrue
        $r.Tls.HandshakeFailed | Should -BeTrue
        $r.Tls.Error | Should -BeLike 'The TLS handshake failed*'
        $r.Tls.IsValid | Should -BeFalse
    }

    It 'records a self-signed certificate as a finding: untrusted, but naming the banner host' {
        $r = Get-SmtpBanner 127.0.4.8 -Port $Port -DnsServer $Dns -TimeoutSeconds 5 -StartTls
        $r.Tls.Protocol | Should -Match '^Tls1[23]$'
        $r.Tls.CipherSuite | Should -Not -BeNullOrEmpty
        $r.Tls.Subject | Should -Be 'CN=tls.example.test'
        $r.Tls.SubjectAlternativeNames | Should -Be @('tls.example.test')
        $r.Tls.IsValid | Should -BeFalse
        ($r.Tls.ChainStatus -join ' ') | Should -Match 'UntrustedRoot|PartialChain'
        $r.Tls.NamesBannerHost | Should -BeTrue
        $r.Tls.NamesTarget | Should -BeFalse
        $r.Tls.NotAfter | Should -BeGreaterThan ([DateTime]::UtcNow)
        $r.Tls.Extensions | Should -Not -Contain 'STARTTLS'
        $r.Transcript | Should -Contain '~> EHLO [127.0.0.1]'
    }

    It 'records an expired certificate as a finding' {
        $r = Get-SmtpBanner 127.0.4.9 -Port $Port -DnsServer $Dns -TimeoutSeconds 5 -StartTls
        $r.Tls.IsValid | Should -BeFalse
        $r.Tls.NotAfter | Should -BeLessThan ([DateTime]::UtcNow)
        ($r.Tls.ChainStatus -join ' ') | Should -Match 'NotTimeValid'
    }
}

Describe 'Get-SmtpBanner talks like swaks --quit-after EHLO' {
    It 'reads a greeting that comes after a delay within the timeout' {
        $r = Get-SmtpBanner 127.0.4.10 -Port $Port -DnsServer $Dns -TimeoutSeconds 10
        $r.Status | Should -Be 'Ok'
        $r.BannerHost | Should -Be 'late.example.test'
        $r.GreetingTime.TotalSeconds | Should -BeGreaterThan 2
    }

    It 'falls back to HELO when EHLO is refused' {
        $r = Get-SmtpBanner 127.0.4.11 -Port $Port -DnsServer $Dns -TimeoutSeconds 5 -HeloName probe.example.test
        $r.HeloCommand | Should -Be 'HELO'
        $r.EhloCode | Should -Be 250
        $r.EhloHost | Should -Be 'old.example.test'
        $r.Software | Should -Be 'Sendmail'
        $r.SoftwareVersion | Should -Be '8.9.3'
        $last = Get-LoggedCommand 'refuse-ehlo' | Group-Object Client | Select-Object -Last 1
        $last.Group.Command | Should -Be @('EHLO probe.example.test', 'HELO probe.example.test', 'QUIT')
    }

    It 'lists the EHLO extensions and whether STARTTLS is offered' {
        $r = Get-SmtpBanner 127.0.4.13 -Port $Port -DnsServer $Dns -TimeoutSeconds 5
        $r.EhloHost | Should -Be 'mx.example.test'
        $r.Extensions | Should -Be @('PIPELINING', 'SIZE 35882577', 'AUTH PLAIN LOGIN', 'ENHANCEDSTATUSCODES', 'STARTTLS', '8BITMIME', 'SMTPUTF8')
        $r.StartTlsOffered | Should -BeTrue
        $r.Tls | Should -BeNullOrEmpty
    }

    It '-NoEhlo reads the greeting and sends only QUIT' {
        $r = Get-SmtpBanner 127.0.4.14 -Port $Port -DnsServer $Dns -TimeoutSeconds 5 -NoEhlo
        $r.Status | Should -Be 'Ok'
        $r.EhloCode | Should -BeNullOrEmpty
        (Get-LoggedCommand 'noehlo').Command | Should -Be @('QUIT')
    }

    It 'shows the transcript live with -Verbose' {
        $verbose = Get-SmtpBanner $Good -Port $Port -DnsServer $Dns -TimeoutSeconds 5 -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        $verbose | Should -Contain "[${Good}:$Port] <- 220 good.example.test ESMTP Postfix"
        $verbose | Should -Contain "[${Good}:$Port] -> QUIT"
    }

    It 'escapes an ANSI escape sequence in every display property; the raw bytes stay in RawGreeting' {
        $out = Get-SmtpBanner 127.0.4.12 -Port $Port -DnsServer $Dns -TimeoutSeconds 5 -Verbose 4>&1
        $r = $out | Where-Object { $_ -is [MailIdentity.Smtp.SmtpProbeResult] }
        $shown = @($r.GreetingLines) + @($r.Transcript) + @($r.Extensions) + @($r.BannerHost, $r.EhloHost, $r.Greeting, "$r") +
            @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message) +
            @(($r | Format-List * | Out-String))
        foreach ($text in $shown) { $text | Should -Not -Match '[\x1b\x07\x9b]' }
        $r.GreetingLines[0] | Should -Be '220 ansi.example.test ESMTP \e]0;owned\x07\e[31mred\e[0m'
        $r.Extensions | Should -Be @('X-\e[5mBLINK')
        $r.BannerHost | Should -Be 'ansi.example.test'
        $r.RawGreeting | Should -Contain 0x1b
    }

    It 'probes every address of a host name (C09: A and AAAA)' {
        $out = @(Get-SmtpBanner dual.c09.example -Port $Port -DnsServer $Dns -TimeoutSeconds 5)
        $out.Count | Should -Be 2
        @($out.IPAddress | ForEach-Object ToString) | Should -Be @('127.0.1.9', '::1')
        $out.Status | Should -Be @('Ok', 'Ok')
        $out[1].RemoteEndPoint | Should -Be "[::1]:$Port"
    }

    It 'a bad ComputerName is an error naming it, and the pipeline goes on' {
        $out = @('not a host!', 'nothing.c01.example', $Good | Get-SmtpBanner -Port $Port -DnsServer $Dns -TimeoutSeconds 5 -ErrorVariable errs -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 1
        $out[0].BannerHost | Should -Be 'good.example.test'
        $errs.Count | Should -Be 2
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidComputerName,*'
        $errs[0].TargetObject | Should -Be 'not a host!'
        $errs[0].Exception.Message | Should -BeLike "*'not a host!'*"
        $errs[1].FullyQualifiedErrorId | Should -BeLike 'SmtpHostNotFound,*'
        $errs[1].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[1].TargetObject | Should -Be 'nothing.c01.example'
    }

    It 'binds ComputerName from CSV-style columns and survives ConvertTo-Json' {
        $rows = [pscustomobject]@{ MailServer = $Good }, [pscustomobject]@{ IPAddress = '127.0.1.2' }
        $out = @($rows | Get-SmtpBanner -Port $Port -DnsServer $Dns -TimeoutSeconds 5)
        $out.BannerHost | Should -Be @('good.example.test', 'server1.hosting.example')
        $json = $out[1] | ConvertTo-Json -Depth 3 | ConvertFrom-Json
        $json.BannerHost | Should -Be 'server1.hosting.example'
        [MailIdentity.Smtp.ServerSoftware]$json.Software | Should -Be 'Exim'   # enums serialise as numbers
    }

    It 'the fake servers received only EHLO, HELO, STARTTLS and QUIT from every probe' {
        $commands = @(Get-Content $CommandLog | ForEach-Object { ($_ -split "`t", 4)[3] })
        $commands.Count | Should -BeGreaterThan 20
        foreach ($c in $commands) { ($c -split ' ', 2)[0] | Should -BeIn @('EHLO', 'HELO', 'STARTTLS', 'QUIT') }
    }
}
