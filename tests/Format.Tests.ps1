#requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
# The format views (src/MailIdentity/MailIdentity.Format.ps1xml, staged as bin/MailIdentity.Format.ps1xml):
# a table and a list view per output type, tables within 120 columns, run against the lab's real BIND9.

BeforeDiscovery {
    $root = Split-Path $PSScriptRoot -Parent
    $script:OutputTypes = @(
        'MailIdentity.Dns.PtrLookupResult', 'MailIdentity.Dns.ForwardConfirmationResult', 'MailIdentity.Smtp.SmtpProbeResult',
        'MailIdentity.Rules.MailIdentityReport', 'MailIdentity.Rules.Finding', 'MailIdentity.Rules.AlignmentRule'
    ) | ForEach-Object { @{ Type = $_ } }
}

BeforeAll {
    $script:Root = Split-Path $PSScriptRoot -Parent
    $script:FormatFile = Join-Path $Root 'bin/MailIdentity.Format.ps1xml'
    Import-Module (Join-Path $Root 'MailIdentity.psd1') -Force -ErrorAction Stop
    . (Join-Path $Root 'tests/lab/Lab.ps1')
    $script:LabState = Start-MailLab
    $script:Dns = $LabState.DnsServer
    $script:LabHosts = (Get-LabData -Path $LabState.DataFile).hosts | Where-Object { $_.expect.PSObject.Properties['ptrStatus'] }
    $script:Ips = @($LabHosts.ip)

    function Get-Rendered {
        # What a console of the given width shows; -Width 400 shows whether the view itself stays within 120.
        param([Parameter(ValueFromPipeline)] $InputObject, [int] $Width = 400, [switch] $List)
        begin { $all = [Collections.Generic.List[object]]::new() }
        process { $all.Add($InputObject) }
        end {
            $text = if ($List) { $all | Format-List | Out-String -Width $Width } else { $all | Format-Table | Out-String -Width $Width }
            @($text -split '\r?\n')
        }
    }
    function Get-TableView([string] $Type) {
        $xml = [xml](Get-Content $FormatFile -Raw)
        $xml.Configuration.ViewDefinitions.View | Where-Object { $_.ViewSelectedBy.TypeName -eq $Type -and $_.PSObject.Properties['TableControl'] }
    }
}

Describe 'The format file' {
    It 'is staged and loaded with the module' {
        $FormatFile | Should -Exist
        (Get-FormatData -TypeName MailIdentity.Dns.PtrLookupResult) | Should -Not -BeNullOrEmpty
    }

    Context '<Type>' -ForEach $OutputTypes {
        It 'has a table view and a list view' {
            $views = (Get-FormatData -TypeName $Type -PowerShellVersion $PSVersionTable.PSVersion).FormatViewDefinition
            $kinds = @($views | ForEach-Object { $_.Control.GetType().Name })
            $kinds | Should -Contain 'TableControl'
            $kinds | Should -Contain 'ListControl'
        }

        It 'its table view gives every column a width and fits 120 columns' {
            $view = Get-TableView $Type
            $view | Should -Not -BeNullOrEmpty
            $headers = @($view.TableControl.TableHeaders.TableColumnHeader)
            $widths = @($headers | ForEach-Object { [int]$_.Width })
            $widths | Should -Not -Contain 0
            ($widths | Measure-Object -Sum).Sum + $headers.Count - 1 | Should -BeLessOrEqual 120
            @($view.TableControl.TableRowEntries.TableRowEntry.TableColumnItems.TableColumnItem).Count | Should -Be $headers.Count
        }
    }
}

Describe 'Get-PtrRecord output against the lab' {
    BeforeAll {
        $script:Results = @($Ips | Get-PtrRecord -DnsServer $Dns -ErrorAction SilentlyContinue)
    }

    It 'looks up every lab address (the lab answers)' {
        $Results.Count | Should -Be $Ips.Count
        ($Results | Where-Object Status -eq 'Found').Count | Should -BeGreaterThan 0
    }

    It 'the table shows IPAddress, Status, Hostnames, TTL and Server within 120 columns' {
        $lines = $Results | Get-Rendered
        $header = $lines | Where-Object { $_ -match '\S' } | Select-Object -First 1
        foreach ($column in 'IPAddress', 'Status', 'Hostnames', 'TTL', 'Server') { $header | Should -Match "\b$column\b" }
        foreach ($line in $lines) { $line.TrimEnd().Length | Should -BeLessOrEqual 120 -Because "'$line' must fit" }
    }

    It 'the table shows the key facts of 127.0.1.1: Found, mail.c01.example, the TTL and the server' {
        $row = (Get-PtrRecord 127.0.1.1 -DnsServer $Dns | Get-Rendered) | Where-Object { $_ -match '^127\.0\.1\.1\s' }
        $row | Should -Match '^127\.0\.1\.1\s+Found\s+mail\.c01\.example\s+300\s+127\.0\.0\.1:5300\b'
    }

    It 'a lookup with two PTR names shows both in the table (C06)' {
        $row = (Get-PtrRecord 127.0.1.6 -DnsServer $Dns | Get-Rendered) | Where-Object { $_ -match '^127\.0\.1\.6\s' }
        $row | Should -Match 'mail\.c06a\.example, mail\.c06b\.example'
    }

    It 'an address without PTR shows NotFound (C03)' {
        $row = (Get-PtrRecord 127.0.1.3 -DnsServer $Dns -ErrorAction SilentlyContinue | Get-Rendered) | Where-Object { $_ -match '^127\.0\.1\.3\s' }
        $row | Should -Match '^127\.0\.1\.3\s+NotFound\s'
    }

    It 'the list view shows the details, including the CNAME of a classless delegation (C08)' {
        $text = (Get-PtrRecord 127.0.1.8 -DnsServer $Dns | Get-Rendered -List) -join "`n"
        foreach ($label in 'IPAddress', 'ReverseName', 'Status', 'Hostnames', 'CnameChain', 'CanonicalName', 'TimeToLive', 'Server', 'Duration') {
            $text | Should -Match "(?m)^$label\s+:"
        }
        $text | Should -Match '(?m)^CanonicalName\s+:\s+\S*in-addr\.arpa'
        $text | Should -Match '(?m)^Duration\s+:\s+\d+ ms'
    }

    It 'a narrow console still gets one line per address, truncated, never wider than the console' {
        $lines = $Results | Get-Rendered -Width 80
        foreach ($line in $lines) { $line.TrimEnd().Length | Should -BeLessOrEqual 80 }
    }
}

Describe 'Test-ForwardConfirmedRdns output against the lab' {
    BeforeAll {
        $script:Checks = @($Ips | Test-ForwardConfirmedRdns -DnsServer $Dns -ErrorAction SilentlyContinue)
    }

    It 'the table shows IPAddress, Status, Hostnames and Reason within 120 columns' {
        $lines = $Checks | Get-Rendered
        $header = $lines | Where-Object { $_ -match '\S' } | Select-Object -First 1
        foreach ($column in 'IPAddress', 'Status', 'Hostnames', 'Reason') { $header | Should -Match "\b$column\b" }
        foreach ($line in $lines) { $line.TrimEnd().Length | Should -BeLessOrEqual 120 -Because "'$line' must fit" }
    }

    It 'each lab address shows its expected verdict: <Id> <Expected>' -ForEach @(
        (Get-Content (Join-Path (Split-Path $PSScriptRoot -Parent) 'tests/lab/lab-hosts.json') -Raw | ConvertFrom-Json).hosts |
            Where-Object { $_.expect.PSObject.Properties['fcrdns'] } | ForEach-Object { @{ Id = $_.id; Ip = $_.ip; Expected = $_.expect.fcrdns } }
    ) {
        $lines = Test-ForwardConfirmedRdns $Ip -DnsServer $Dns -ErrorAction SilentlyContinue | Get-Rendered
        ($lines -join "`n") | Should -Match "(?m)^$([regex]::Escape($Ip))\s+$Expected\s"
    }

    It 'the reason is wrapped at word boundaries, not cut (C05 names the wrong address)' {
        $text = (Test-ForwardConfirmedRdns 127.0.1.5 -DnsServer $Dns | Get-Rendered) -join ' '
        ($text -replace '\s+', ' ') | Should -Match 'mail\.c05\.example resolves to 127\.0\.9\.5, not 127\.0\.1\.5\.'
    }

    It 'the list view shows Status, Reason and each forward lookup' {
        $text = (Test-ForwardConfirmedRdns 127.0.1.4 -DnsServer $Dns | Get-Rendered -List) -join "`n"
        foreach ($label in 'IPAddress', 'Status', 'Confirmed', 'Hostnames', 'ConfirmedNames', 'Names', 'Reason') {
            $text | Should -Match "(?m)^$label\s+:"
        }
        $text | Should -Match '(?m)^Names\s+:\s+old-name\.c04\.example -> NotFound'
    }

    It 'prints no ANSI escape sequences when the output is redirected' {
        $text = ($Checks | Get-Rendered) -join "`n"
        $text | Should -Not -Match ([char]27)
    }
}

Describe 'Get-SmtpBanner output' {
    BeforeAll {
    }

    It 'a refused connection shows RemoteEndPoint and Status in a table within 120 columns' {
        # A loopback port that was just free: nothing listens there.
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $lines = Get-SmtpBanner 127.0.0.1 -Port $port -TimeoutSeconds 5 -ErrorAction SilentlyContinue | Get-Rendered
        $header = $lines | Where-Object { $_ -match '\S' } | Select-Object -First 1
        foreach ($column in 'RemoteEndPoint', 'Status', 'Code', 'BannerHost', 'Software', 'Greeting') { $header | Should -Match "\b$column\b" }
        ($lines -join "`n") | Should -Match "(?m)^127\.0\.0\.1:$port\s+ConnectionRefused\b"
        foreach ($line in $lines) { $line.TrimEnd().Length | Should -BeLessOrEqual 120 }
    }

    It 'a lab greeting shows the banner host and software; the list view shows the details' {
        $c02 = @($LabState.PSObject.Properties['Smtp'] ? $LabState.Smtp : @()) | Where-Object Id -eq 'C02' | Select-Object -First 1
        $result = Get-SmtpBanner $c02.IPAddress -Port $c02.Port -TimeoutSeconds 15 -DnsServer $Dns
        $lines = $result | Get-Rendered
        ($lines -join "`n") | Should -Match "(?m)^$([regex]::Escape($c02.IPAddress)):$($c02.Port)\s+Ok\s+220\s+server1\.hosting\.example\s+Exim\s+220 server1"
        foreach ($line in $lines) { $line.TrimEnd().Length | Should -BeLessOrEqual 120 }
        $list = ($result | Get-Rendered -List) -join "`n"
        foreach ($label in 'RemoteEndPoint', 'Status', 'GreetingLines', 'BannerHost', 'BannerHostKind', 'Software', 'EhloHost', 'Extensions', 'StartTlsOffered', 'GreetingTime') {
            $list | Should -Match "(?m)^$label\s+:"
        }
        $list | Should -Match '(?m)^SoftwareVersion\s+:\s+4\.96'
    }
}

Describe 'Severity colours' {
    BeforeAll {
        function Invoke-InTerminal([string] $Command) {
            # A pseudo-terminal (util-linux script), so the child's output is NOT redirected, as in a console.
            $exe = [Environment]::ProcessPath
            $pwsh = if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { "'$exe' '$(Join-Path $PSHOME 'pwsh.dll')'" } else { "'$exe'" }
            $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Command))
            # A console as an admin has it: a colour terminal, NO_COLOR unset (CI sets it for its logs).
            $savedTerm = $env:TERM; $savedNoColor = $env:NO_COLOR
            $env:TERM = 'xterm-256color'; $env:NO_COLOR = $null
            # A fresh pty has no size (0 columns); give it the 120 columns the views are made for.
            try { (& script -qec "stty cols 120 rows 50; $pwsh -NoProfile -NonInteractive -EncodedCommand $encoded" /dev/null) -join "`n" }
            finally { $env:TERM = $savedTerm; $env:NO_COLOR = $savedNoColor }
        }
        $script:ColourCheck = @"
Import-Module '$(Join-Path $Root 'MailIdentity.psd1')'
`$r = Test-MailIdentity -IPAddress 127.0.1.3 -DnsServer $Dns -SkipSmtp -ErrorAction SilentlyContinue
"@
    }

    It 'redirected output has no ANSI sequences (under Pester the output is redirected)' {
        $report = Test-MailIdentity -IPAddress 127.0.1.3 -DnsServer $Dns -SkipSmtp -ErrorAction SilentlyContinue
        $text = (($report | Get-Rendered) + ($report.Findings | Out-String -Width 400)) -join "`n"
        $text | Should -Match '\bFail\b'
        $text | Should -Not -Match ([regex]::Escape([string][char]27))
    }

    It 'a terminal shows Fail in red; with OutputRendering PlainText it is plain' {
        if (-not (Get-Command script -CommandType Application -ErrorAction SilentlyContinue)) {
            Set-ItResult -Skipped -Because 'util-linux script (a pseudo-terminal) is not installed'
            return
        }
        $esc = [string][char]27
        $coloured = Invoke-InTerminal "$ColourCheck`n`$r | Format-Table | Out-Host; `$r.Findings | Out-Host"
        $coloured | Should -Match ([regex]::Escape("$esc[91mFail$esc[0m"))
        $coloured | Should -Match ([regex]::Escape("$esc[91m[Fail]$esc[0m"))
        $plain = Invoke-InTerminal "`$PSStyle.OutputRendering = 'PlainText'`n$ColourCheck`n`$r | Format-Table | Out-Host; `$r.Findings | Out-Host"
        $plain | Should -Match '\[Fail\]'
        $plain | Should -Not -Match ([regex]::Escape("$esc[91m"))
    }
}

Describe 'Test-MailIdentity and Get-MailIdentityRule output' {
    It 'the report table shows Status, IPAddress, Ptr, BannerHost, FailingRules and Summary within 120 columns' {
        $reports = @('127.0.1.1', '127.0.1.3', '127.0.1.7' | Test-MailIdentity -DnsServer $Dns -SkipSmtp -ErrorAction SilentlyContinue)
        $lines = $reports | Get-Rendered
        $header = $lines | Where-Object { $_ -match '\S' } | Select-Object -First 1
        foreach ($column in 'Status', 'IPAddress', 'Ptr', 'BannerHost', 'FailingRules', 'Summary') { $header | Should -Match "\b$column\b" }
        foreach ($line in $lines) { $line.TrimEnd().Length | Should -BeLessOrEqual 120 -Because "'$line' must fit" }
        ($lines -join "`n") | Should -Match '(?m)^Pass\s+127\.0\.1\.1\s+mail\.c01\.example'
        ($lines -join "`n") | Should -Match '(?m)^Fail\s+127\.0\.1\.3\s'
    }

    It 'findings print as readable lines: [Severity] RuleId RuleName: Message, with the fix below' {
        $report = Test-MailIdentity -IPAddress 127.0.1.3 -DnsServer $Dns -SkipSmtp -ErrorAction SilentlyContinue
        $text = $report.Findings | Out-String -Width 400
        $text | Should -Match '(?m)^\[Fail\]\s+MI0101 PtrPresent: '
        $text | Should -Match '(?m)^\s+Fix: '
        ($report.Findings | Format-Table | Out-String -Width 400) -split '\r?\n' | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 120 }
    }

    It 'the rule table lists every rule within 120 columns' {
        $lines = Get-MailIdentityRule | Get-Rendered
        ($lines -join "`n") | Should -Match '(?m)^MI0101\s+PtrPresent\s+Fail\b'
        foreach ($line in $lines) { $line.TrimEnd().Length | Should -BeLessOrEqual 120 }
    }
}
