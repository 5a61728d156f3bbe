#requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
# The offline help: every cmdlet the BUILT module exports has complete help, Get-Help shows it, and the about
# topics exist. Cmdlets are discovered with Get-Command, so a cmdlet that lands without docs fails here.

BeforeDiscovery {
    $root = Split-Path $PSScriptRoot -Parent
    . (Join-Path $root 'build/HelpMarkdown.ps1')
    Import-Module (Join-Path $root 'MailIdentity.psd1') -Force -ErrorAction Stop
    $script:Exported = @(Get-Command -Module MailIdentity -CommandType Cmdlet | Sort-Object Name | ForEach-Object {
            $meta = Get-CommandHelpMetadata $_
            @{ Name = $_.Name; Parameters = @($meta.Parameters.Keys) }
        })
}

BeforeAll {
    $script:Root = Split-Path $PSScriptRoot -Parent
    $script:Docs = Join-Path $Root 'docs/en-US'
    . (Join-Path $Root 'build/HelpMarkdown.ps1')
    Import-Module (Join-Path $Root 'MailIdentity.psd1') -Force -ErrorAction Stop
    $script:RuleIds = @('MI0101', 'MI0102', 'MI0103', 'MI0104', 'MI0105', 'MI0201', 'MI0202', 'MI0203', 'MI0204',
        'MI0205', 'MI0301', 'MI0302', 'MI0401', 'MI0501', 'MI0502', 'MI0601')
}

Describe 'The module exports cmdlets to document' {
    It 'exports at least Get-PtrRecord and Test-ForwardConfirmedRdns' {
        $Exported.Name | Should -Contain 'Get-PtrRecord'
        $Exported.Name | Should -Contain 'Test-ForwardConfirmedRdns'
    }
}

Describe 'Help of <Name>' -ForEach $Exported {
    BeforeAll {
        $command = Get-Command $Name -Module MailIdentity
        $meta = Get-CommandHelpMetadata $command
        $file = Join-Path $Docs "$Name.md"
        $doc = if (Test-Path $file) { ConvertFrom-HelpMarkdown -Path $file } else { $null }
        $help = Get-Help $Name -Full
    }

    It 'has docs/en-US/<Name>.md' {
        $file | Should -Exist
    }

    It 'the markdown has a synopsis, a description, two examples, inputs, outputs and every parameter (aliases and pipeline input as the cmdlet has them)' {
        $problems = @(Test-HelpDocument -Document $doc -Metadata $meta)
        $problems -join [Environment]::NewLine | Should -BeNullOrEmpty
    }

    It 'Get-Help shows the synopsis from the built help, not the generated syntax' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "$Name *"
        $help.Synopsis | Should -Be $doc.Synopsis
    }

    It 'Get-Help shows the description' {
        ($help.description.Text -join ' ').Length | Should -BeGreaterThan 80
    }

    It 'Get-Help shows at least two examples, each with code and an explanation' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($e in $examples) {
            $e.code | Should -Match $Name
            ($e.remarks.Text -join ' ').Trim() | Should -Not -BeNullOrEmpty
        }
    }

    It 'Get-Help shows inputs and outputs' {
        @($help.inputTypes.inputType).Count | Should -BeGreaterThan 0
        @($help.returnValues.returnValue).Count | Should -BeGreaterThan 0
    }

    It 'Get-Help names each declared output type' {
        $documented = @($help.returnValues.returnValue.type.name)
        foreach ($t in $meta.OutputTypes) { $documented | Should -Contain $t }
    }

    Context 'parameter -<_>' -ForEach $Parameters {
        It 'is described by Get-Help, with the aliases and pipeline input of the cmdlet' {
            $p = $help.parameters.parameter | Where-Object name -eq $_
            $p | Should -Not -BeNullOrEmpty -Because "Get-Help $Name must describe -$_"
            ($p.description.Text -join ' ').Trim().Length | Should -BeGreaterThan 10
            $actual = $command.Parameters[$_]
            $expectedAliases = if ($actual.Aliases.Count) { $actual.Aliases -join ', ' } else { 'none' }
            $p.aliases | Should -Be $expectedAliases
            Format-PipelineInput $p.pipelineInput | Should -Be (Format-PipelineInput $meta.Parameters[$_].PipelineInput)
        }
    }
}

Describe 'The help checker finds what is missing' {
    # Guards Test-HelpDocument itself: the tests above are only as good as the checks it makes.
    BeforeAll {
        $meta = Get-CommandHelpMetadata (Get-Command Get-PtrRecord -Module MailIdentity)
        $source = Get-Content (Join-Path $Docs 'Get-PtrRecord.md') -Raw
        $temp = Join-Path ([IO.Path]::GetTempPath()) "mailidentity-help-$PID"
        $null = New-Item -ItemType Directory -Force $temp
        function Get-Problem([string] $Markdown) {
            $path = Join-Path $temp 'Get-PtrRecord.md'
            Set-Content -LiteralPath $path -Value $Markdown -Encoding utf8
            @(Test-HelpDocument -Document (ConvertFrom-HelpMarkdown -Path $path) -Metadata $meta)
        }
    }
    AfterAll { Remove-Item $temp -Recurse -Force -ErrorAction SilentlyContinue }

    It 'reports a cmdlet without a help file' {
        Test-HelpDocument -Document $null -Metadata $meta | Should -Match 'no help file'
    }

    It 'reports an undocumented parameter' {
        $without = $source -replace '(?s)### -DnsRetries.*?(?=### -ThrottleLimit)', ''
        (Get-Problem $without) -join "`n" | Should -Match '-DnsRetries is not documented'
    }

    It 'reports a parameter without a description' {
        $bare = $source -replace '(?s)(### -ThrottleLimit\r?\n).*?(?=```yaml)', '$1'
        (Get-Problem $bare) -join "`n" | Should -Match '-ThrottleLimit has no description'
    }

    It 'reports fewer than two examples' {
        $one = $source -replace '(?s)### Example 2:.*?(?=## PARAMETERS)', ''
        $one = $one -replace '(?s)### Example 3:.*?(?=## PARAMETERS)', ''
        (Get-Problem $one) -join "`n" | Should -Match 'at least 2'
    }

    It 'reports a missing synopsis' {
        $none = $source -replace '(?s)## SYNOPSIS\r?\n.*?(?=## SYNTAX)', "## SYNOPSIS`n`n"
        (Get-Problem $none) -join "`n" | Should -Match 'no SYNOPSIS'
    }

    It 'reports documented aliases that the cmdlet does not have' {
        $wrong = $source -replace 'Aliases: NameServer, DnsServers', 'Aliases: Resolver'
        $wrong = $wrong -replace 'Aliases: Server, NameServer', 'Aliases: Resolver'
        (Get-Problem $wrong) -join "`n" | Should -Match '-DnsServer documents aliases'
    }

    It 'reports wrong pipeline input' {
        $wrong = $source -replace 'Accept pipeline input: True \(ByValue, ByPropertyName\)', 'Accept pipeline input: False'
        (Get-Problem $wrong) -join "`n" | Should -Match '-IPAddress documents pipeline input'
    }
}

Describe 'Help required by the issue' {
    It 'Test-MailIdentity has the CSV pipeline example and a scheduled-task example with -Quiet' {
        $doc = ConvertFrom-HelpMarkdown -Path (Join-Path $Docs 'Test-MailIdentity.md')
        $doc.Examples.Code | Where-Object { $_ -match 'Import-Csv\s+hosts\.csv\s*\|\s*Test-MailIdentity\s*\|\s*Export-Csv\s+out\.csv' } |
            Should -Not -BeNullOrEmpty
        $doc.Examples.Code | Where-Object { $_ -match 'ScheduledTask' -and $_ -match '-Quiet' } | Should -Not -BeNullOrEmpty
    }

    It 'Get-Help Test-MailIdentity -Examples shows them' {
        $code = (Get-Help Test-MailIdentity -Examples).examples.example.code -join "`n"
        $code | Should -Match 'Import-Csv\s+hosts\.csv\s*\|\s*Test-MailIdentity\s*\|\s*Export-Csv\s+out\.csv'
        $code | Should -Match 'Register-ScheduledTask'
    }

    It 'there is a help file for each of the five cmdlets, documented or coming' {
        foreach ($name in 'Get-PtrRecord', 'Test-ForwardConfirmedRdns', 'Get-SmtpBanner', 'Test-MailIdentity', 'Get-MailIdentityRule') {
            $doc = ConvertFrom-HelpMarkdown -Path (Join-Path $Docs "$name.md")
            $doc.Synopsis | Should -Not -BeNullOrEmpty
            @($doc.Examples).Count | Should -BeGreaterOrEqual 2
        }
    }
}

Describe 'About topics' {
    It 'Get-Help about_MailIdentity explains the problem, the checks and the workflow' {
        $text = Get-Help about_MailIdentity | Out-String
        $text | Should -Match 'about_MailIdentity'
        $text | Should -Match 'SHORT DESCRIPTION'
        $text | Should -Match 'THE CHECKS'
        $text | Should -Match 'WORKFLOW'
        $text | Should -Match 'Test-MailIdentity'
    }

    It 'Get-Help about_MailIdentity_Rules lists every rule with its severity and remediation' {
        $text = Get-Help about_MailIdentity_Rules | Out-String
        foreach ($id in $RuleIds) {
            $text | Should -Match "$id \w+ \((Fail|Warning|Info)" -Because "$id needs a section"
        }
        ([regex]::Matches($text, 'Remediation:')).Count | Should -BeGreaterOrEqual $RuleIds.Count
    }

    It 'about_MailIdentity_Rules agrees with Get-MailIdentityRule' {
        $text = Get-Help about_MailIdentity_Rules | Out-String
        $rules = @(Get-MailIdentityRule)
        @($rules.Id | Sort-Object) | Should -Be @($RuleIds | Sort-Object)
        foreach ($r in $rules) {
            $text | Should -Match "$($r.Id) $($r.Name) \($($r.DefaultSeverity)" -Because "$($r.Id) is $($r.Name), $($r.DefaultSeverity)"
        }
    }

    It 'the about topics fit an 80-column console and are UTF-8 with a BOM (Windows PowerShell 5.1 reads them right)' {
        foreach ($topic in 'about_MailIdentity', 'about_MailIdentity_Rules') {
            $path = Join-Path $Root "en-US/$topic.help.txt"
            foreach ($line in Get-Content $path) { $line.Length | Should -BeLessOrEqual 80 -Because "$topic has '$line'" }
            $bytes = [IO.File]::ReadAllBytes($path)
            $bytes[0..2] | Should -Be @(0xEF, 0xBB, 0xBF)
        }
    }

    It 'the built files are in the module folders' {
        Join-Path $Root 'en-US/about_MailIdentity.help.txt' | Should -Exist
        Join-Path $Root 'en-US/about_MailIdentity_Rules.help.txt' | Should -Exist
        Join-Path $Root 'en-US/MailIdentity.dll-Help.xml' | Should -Exist
        Join-Path $Root 'bin/en-US/MailIdentity.dll-Help.xml' | Should -Exist
    }
}
