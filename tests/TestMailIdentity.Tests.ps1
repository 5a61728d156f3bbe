#requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'lab/Lab.ps1')
    $script:Scenarios = (Get-LabData).hosts | Where-Object { $_.expect.PSObject.Properties['status'] -and -not $_.PSObject.Properties['hostName'] } | ForEach-Object {
        @{
            Id = $_.id; Ip = $_.ip; Domain = $_.domain; Summary = $_.summary; Status = $_.expect.status
            Failing = @($_.expect.PSObject.Properties['failing']?.Value | Where-Object { $_ })
            Warning = @($_.expect.PSObject.Properties['warning']?.Value | Where-Object { $_ })
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-BuiltModule
    $script:Lab = Get-TestLab
    $script:Common = @{ DnsServer = $Lab.DnsServer; Port = $Lab.SmtpPort; TimeoutSeconds = 15 }
    $script:ById = @{}
    foreach ($h in $Lab.Data.hosts | Where-Object { $_.expect.PSObject.Properties['status'] -and -not $_.PSObject.Properties['hostName'] }) {
        $script:ById[$h.id] = $h
    }
    # One bulk run over every scenario, the way an admin runs it; individual tests read from it.
    $rows = $Lab.Data.hosts | Where-Object { $_.expect.PSObject.Properties['status'] -and -not $_.PSObject.Properties['hostName'] } |
        ForEach-Object { [pscustomobject]@{ IP = $_.ip; Domain = $_.domain } }
    $script:Reports = @{}
    foreach ($r in $rows | Test-MailIdentity @Common) { $script:Reports[$r.IPAddress.ToString()] = $r }
}

Describe 'Test-MailIdentity: every scenario from the field yields the expert''s verdict' {
    It '<Id>: <Summary> -> <Status>' -ForEach $Scenarios {
        $r = $Reports[$Ip]
        $r | Should -Not -BeNullOrEmpty
        $r.Status | Should -Be $Status -Because ($r.Findings | Where-Object Severity -ne 'Pass' | Out-String)
        foreach ($id in $Failing) { $r.FailingRules | Should -Contain $id }
        foreach ($id in $Warning) { $r.WarningRules | Should -Contain $id }
        $r.Findings | Where-Object Severity -ne 'Pass' | ForEach-Object { $_.Message | Should -Not -BeNullOrEmpty; $_.Remediation | Should -Not -BeNullOrEmpty }
    }

    It 'C01 (real Postfix): all rules pass and the software is Postfix' {
        $r = $Reports['127.0.1.1']
        $r.Software | Should -Be 'Postfix'
        $r.BannerHost | Should -Be 'mail.c01.example'
        $r.FailingRules.Count | Should -Be 0
    }

    It 'C02: the fix is in Exim''s own terms, naming the PTR name to set' {
        $f = $Reports['127.0.1.2'].Findings | Where-Object RuleId -eq 'MI0203'
        $f.Severity | Should -Be 'Fail'
        $f.Message | Should -BeLike '*server1.hosting.example*mail.c02.example*'
        $f.Remediation | Should -BeLike '*primary_hostname = mail.c02.example*'
    }

    It 'C03: the missing PTR goes to the IP owner, and is the only failure' {
        $r = $Reports['127.0.1.3']
        @($r.FailingRules) | Should -Be @('MI0101')
        ($r.Findings | Where-Object RuleId -eq 'MI0101').Remediation | Should -BeLike '*hosting provider or ISP*mail.c03.example*'
    }

    It 'C04: FCrDNS fails because the PTR name does not resolve; the outdated PTR is named' {
        $f = $Reports['127.0.1.4'].Findings | Where-Object RuleId -eq 'MI0105'
        $f.Message | Should -BeLike '*old-name.c04.example does not exist*'
        $f.Remediation | Should -BeLike '*outdated*new-name.c04.example*'
    }

    It 'C05: FCrDNS fails (not "PTR missing")' {
        $r = $Reports['127.0.1.5']
        $r.FailingRules | Should -Not -Contain 'MI0101'
        ($r.Findings | Where-Object RuleId -eq 'MI0105').Message | Should -BeLike '*127.0.9.5, not 127.0.1.5*'
    }

    It 'C06: several PTRs warn, and the banner matching one of them passes' {
        $r = $Reports['127.0.1.6']
        ($r.Findings | Where-Object RuleId -eq 'MI0203').Severity | Should -Be 'Pass'
        ($r.Findings | Where-Object RuleId -eq 'MI0102').Severity | Should -Be 'Warning'
    }

    It 'C07: the generic cloud PTR names the provider and its rDNS request' {
        $f = $Reports['127.0.1.7'].Findings | Where-Object RuleId -eq 'MI0104'
        $f.Message | Should -BeLike '*Amazon*'
        $f.Remediation | Should -BeLike '*reverse DNS*'
        ($Reports['127.0.1.7'].Findings | Where-Object RuleId -eq 'MI0203').Severity | Should -Be 'Fail'
    }

    It 'C08: the RFC 2317 CNAME hop is shown in the evidence, not treated as missing' {
        $f = $Reports['127.0.1.8'].Findings | Where-Object RuleId -eq 'MI0101'
        $f.Severity | Should -Be 'Pass'
        $f.Evidence | Should -BeLike '*via CNAME 8.0/26.1.0.127.in-addr.arpa*'
    }

    It 'C10: a SERVFAIL is Inconclusive, never Fail' {
        $r = $Reports['127.0.1.10']
        $r.FailingRules.Count | Should -Be 0
        $r.InconclusiveRules | Should -Contain 'MI0101'
    }

    It 'C11 (real Postfix postscreen): the delayed multi-line greeting is read whole' {
        $r = $Reports['127.0.1.11']
        $smtp = $r.GetEvidence().Smtp
        $smtp.GreetingLines.Count | Should -BeGreaterOrEqual 2
        $smtp.BannerHost | Should -Be 'mail.c11.example'
    }

    It 'C12: a masked banner is a Warning about the firewall, not a PTR mismatch' {
        $r = $Reports['127.0.1.12']
        ($r.Findings | Where-Object RuleId -eq 'MI0202').Message | Should -BeLike '*firewall*'
        $r.Findings.RuleId | Should -Not -Contain 'MI0203'
    }

    It 'S02: Exchange with a Windows computer name gets Exchange remediation' {
        $r = $Reports['127.0.2.2']
        $r.Software | Should -Be 'Exchange'
        ($r.Findings | Where-Object RuleId -eq 'MI0204').Severity | Should -Be 'Warning'
        ($r.Findings | Where-Object RuleId -eq 'MI0203').Remediation | Should -BeLike '*Set-ReceiveConnector*'
    }
}

Describe 'Test-MailIdentity: inputs' {
    It 'C09: a host name tests each of its addresses: IPv4 passes, IPv6 (no PTR) fails' {
        $r = Test-MailIdentity -HostName dual.c09.example @Common
        $r.Count | Should -Be 2
        ($r | Where-Object { $_.IPAddress.ToString() -eq '127.0.1.9' }).Status | Should -Be 'Pass'
        $v6 = $r | Where-Object { $_.IPAddress.ToString() -eq '::1' }
        $v6.Status | Should -Be 'Fail'
        $v6.FailingRules | Should -Contain 'MI0101'
    }

    It 'C13: the second domain on the same IP gets the shared-IP note' {
        $rows = [pscustomobject]@{ IP = '127.0.1.13'; Domain = 'c13a.example' }, [pscustomobject]@{ IP = '127.0.1.13'; Domain = 'c13b.example' }
        $a, $b = $rows | Test-MailIdentity @Common
        $a.Findings.RuleId | Should -Not -Contain 'MI0601'
        $f = $b.Findings | Where-Object RuleId -eq 'MI0601'
        $f.Severity | Should -Be 'Info'
        $f.Message | Should -BeLike '*c13a.example*mail.c13a.example*'
    }

    It 'a domain alone tests its MX hosts' {
        $r = Test-MailIdentity -Domain c01.example @Common
        $r.IPAddress.ToString() | Should -Be '127.0.1.1'
        ($r.Findings | Where-Object RuleId -eq 'MI0401').Severity | Should -Be 'Pass'
    }

    It 'S01: the MX pointing elsewhere fails with the MX record to publish' {
        $f = $Reports['127.0.2.1'].Findings | Where-Object RuleId -eq 'MI0401'
        $f.Message | Should -BeLike '*mx.other-provider.example*'
        $f.Remediation | Should -BeLike '*s01.example. IN MX 10 mail.s01.example.*'
    }

    It '-HeloName is checked against the PTR and forward DNS' {
        $good = Test-MailIdentity 127.0.1.1 -HeloName mail.c01.example -SkipSmtp -DnsServer $Lab.DnsServer
        ($good.Findings | Where-Object RuleId -eq 'MI0302').Severity | Should -Be 'Pass'
        $bad = Test-MailIdentity 127.0.1.1 -HeloName old.c01.example @Common
        $f = $bad.Findings | Where-Object RuleId -eq 'MI0302'
        $f.Severity | Should -Be 'Fail'
        $f.Message | Should -BeLike '*old.c01.example*not the PTR name*does not resolve to 127.0.1.1*'
        $f.Remediation | Should -BeLike '*smtp_helo_name=mail.c01.example*'
        # A bare computer name is a definite failure, whatever DNS says about it.
        $local = Test-MailIdentity 127.0.1.1 -HeloName localhost -SkipSmtp -DnsServer $Lab.DnsServer
        ($local.Findings | Where-Object RuleId -eq 'MI0302').Message | Should -BeLike '*not a fully-qualified name*'
    }

    It '-SkipSmtp checks DNS only' {
        $r = Test-MailIdentity 127.0.1.3 -SkipSmtp -DnsServer $Lab.DnsServer
        $r.SmtpStatus | Should -BeNullOrEmpty
        $r.Findings.RuleId | Should -Not -Contain 'MI0201'
    }

    It '-ExcludeRule skips rules by id or name; an unknown rule is a clear terminating error' {
        $r = Test-MailIdentity 127.0.1.6 -SkipSmtp -DnsServer $Lab.DnsServer -ExcludeRule MI0102, PtrNotGeneric
        $r.Findings.RuleId | Should -Not -Contain 'MI0102'
        $r.Findings.RuleId | Should -Not -Contain 'MI0104'
        $r.Status | Should -Be 'Pass'
        { Test-MailIdentity 127.0.1.6 -SkipSmtp -DnsServer $Lab.DnsServer -ExcludeRule NoSuchRule -ErrorAction Stop } | Should -Throw "*'NoSuchRule' is not a rule*"
    }

    It 'an unreachable SMTP port is Inconclusive, not Fail' {
        $r = Test-MailIdentity 127.0.1.1 -Port 1 -DnsServer $Lab.DnsServer -TimeoutSeconds 5
        ($r.Findings | Where-Object RuleId -eq 'MI0201').Severity | Should -Be 'Inconclusive'
        $r.Status | Should -Be 'Inconclusive'
    }
}

Describe 'Test-MailIdentity: bulk' {
    It 'every row yields a report or an error record, in input order, bad rows included' {
        $rows = @(
            [pscustomobject]@{ IP = '127.0.1.1'; Domain = 'c01.example' }
            [pscustomobject]@{ IP = 'not-an-ip'; Domain = 'x.example' }
            [pscustomobject]@{ IP = ''; Domain = '' }
            [pscustomobject]@{ IP = ''; HostName = 'does-not-exist.c01.example' }
            [pscustomobject]@{ IP = '127.0.1.3'; Domain = 'c03.example' }
            [pscustomobject]@{ IP = ''; HostName = ('a' * 300) + '.example' }
            [pscustomobject]@{ IP = '127.0.1.5' }
        )
        $out = $rows | Test-MailIdentity @Common -SkipSmtp -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 3
        $out.IPAddress.ForEach({ $_.ToString() }) | Should -Be @('127.0.1.1', '127.0.1.3', '127.0.1.5')
        $errs.Count | Should -Be 4
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidIPAddress,*'
        $errs[1].FullyQualifiedErrorId | Should -BeLike 'MissingTarget,*'
        $errs[2].FullyQualifiedErrorId | Should -BeLike 'HostNotFound,*'
        $errs[2].TargetObject | Should -Be 'does-not-exist.c01.example'
        $errs[3].FullyQualifiedErrorId | Should -BeLike 'InvalidHostName,*'
    }

    It '-Quiet returns one bool per input row' {
        $out = '127.0.1.1', '127.0.1.3', 'bogus' | Test-MailIdentity -Quiet -SkipSmtp -DnsServer $Lab.DnsServer -ErrorAction SilentlyContinue
        $out | Should -Be @($true, $false, $false)
    }

    It 'the report survives Export-Csv and ConvertTo-Json in a readable form' {
        $csv = Join-Path $TestDrive 'out.csv'
        $Reports['127.0.1.4'] | Export-Csv $csv -NoTypeInformation
        $row = Import-Csv $csv
        $row.Status | Should -Be 'Fail'
        $row.Ptr | Should -Be 'old-name.c04.example'
        $row.FailingRules | Should -Match 'MI0105'
        $row.Summary | Should -BeLike 'Fail:*'
        $row.Findings | Should -BeLike '*MI0105*'
        $row.PSObject.Properties.Value | Should -Not -Match 'System\.(String|Object)\[\]'
        $json = $Reports['127.0.1.4'] | ConvertTo-Json -EnumsAsStrings -WarningVariable w -WarningAction SilentlyContinue
        $w | Should -BeNullOrEmpty
        $o = $json | ConvertFrom-Json
        $o.Status | Should -Be 'Fail'
        ($o.Findings | Where-Object RuleId -eq 'MI0105').Message | Should -BeLike '*old-name.c04.example*'
    }

    It 'Import-Csv | Test-MailIdentity works with the lab''s CSV and real column names' {
        $csv = Join-Path $TestDrive 'hosts.csv'
        & (Join-Path $PSScriptRoot 'lab/New-LabHostsCsv.ps1') -Path $csv
        $rows = Import-Csv $csv
        $out = $rows | Test-MailIdentity -DnsServer $Lab.DnsServer -TimeoutSeconds 15 -ErrorAction SilentlyContinue
        # C09's HostName row gives two reports (IPv4 and IPv6).
        @($out).Count | Should -Be ($rows.Count + 1)
    }
}

Describe 'Get-MailIdentityRule' {
    It 'lists every rule with id, name, severity, description and remediation' {
        $rules = Get-MailIdentityRule
        $rules.Count | Should -BeGreaterOrEqual 16
        $rules | ForEach-Object { $_.Id | Should -Match '^MI\d{4}$'; $_.Description | Should -Not -BeNullOrEmpty; $_.Remediation | Should -Not -BeNullOrEmpty }
        (Get-MailIdentityRule MI02*).Id | Should -Be @('MI0201', 'MI0202', 'MI0203', 'MI0204', 'MI0205')
        (Get-MailIdentityRule BannerMatchesPtr).Id | Should -Be 'MI0203'
    }

    It 'completes rule ids for -ExcludeRule' {
        $c = TabExpansion2 -inputScript 'Test-MailIdentity -ExcludeRule MI01' -cursorColumn 35
        $c.CompletionMatches.CompletionText | Should -Contain 'MI0105'
    }
}

Describe 'Pipelines between the cmdlets, and CSV cells as admins write them' {
    It 'results pipe into the other cmdlets by their IPAddress, not by their text' {
        $d = $Lab.DnsServer
        (Get-PtrRecord 127.0.1.1, 127.0.1.4 -DnsServer $d | Test-ForwardConfirmedRdns -DnsServer $d).Status | Should -Be @('Confirmed', 'NotConfirmed')
        (Test-MailIdentity 127.0.1.1, 127.0.1.3 -SkipSmtp -DnsServer $d | Test-ForwardConfirmedRdns -DnsServer $d).Status | Should -Be @('Confirmed', 'NoPtr')
        $banner = Get-PtrRecord 127.0.1.2 -DnsServer $d | Get-SmtpBanner -Port $Lab.SmtpPort -DnsServer $d -TimeoutSeconds 5
        $banner.IPAddress.ToString() | Should -Be '127.0.1.2'
        (Test-ForwardConfirmedRdns 127.0.1.5 -DnsServer $d | Test-MailIdentity -SkipSmtp -DnsServer $d).FailingRules | Should -Contain 'MI0105'
    }

    It 'understands "Mail Domain" and "SMTP Port" columns; a blank port is 25, a bad one an error naming the row' {
        $rows = @(
            [pscustomobject]@{ 'Sending IP' = '127.0.1.2'; 'Mail Domain' = 'c02.example'; 'SMTP Port' = "$($Lab.SmtpPort)" }
            [pscustomobject]@{ 'Sending IP' = '127.0.1.3'; 'Mail Domain' = 'c03.example'; 'SMTP Port' = '' }
            [pscustomobject]@{ 'Sending IP' = '127.0.1.5'; 'Mail Domain' = 'c05.example'; 'SMTP Port' = 'abc' }
        )
        $out = $rows | Test-MailIdentity -DnsServer $Lab.DnsServer -TimeoutSeconds 5 -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 2
        $out[0].Domain | Should -Be 'c02.example'
        $out[0].SmtpStatus | Should -Be 'Ok'
        $out[0].Findings.RuleId | Should -Contain 'MI0401'
        $out[1].GetEvidence().Smtp.Port | Should -Be 25
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidPort,*'
        $errs[0].Exception.Message | Should -BeLike "*'abc'*127.0.1.5*"
    }

    It 'a greeting cut off by the timeout (postscreen waits 6 s) is Inconclusive, not a Warning' {
        $r = Test-MailIdentity 127.0.1.11 -Port $Lab.SmtpPort -DnsServer $Lab.DnsServer -TimeoutSeconds 3
        ($r.Findings | Where-Object RuleId -eq 'MI0201').Severity | Should -Be 'Inconclusive'
        $r.Findings.RuleId | Should -Not -Contain 'MI0203'
    }

    It 'a second -DnsServer is asked when the first does not answer, within the timeout' {
        $w = [Diagnostics.Stopwatch]::StartNew()
        (Get-PtrRecord 127.0.1.1 -DnsServer 127.0.0.1:5399, $Lab.DnsServer -TimeoutSeconds 5).Hostname | Should -Be 'mail.c01.example'
        $w.Elapsed.TotalSeconds | Should -BeLessThan 5.5
    }
}
