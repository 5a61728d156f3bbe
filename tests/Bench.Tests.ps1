#requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
# Keeps the benchmark working (issue #6): the -Smoke run, small sizes, same code paths as the full run.
BeforeAll {
    $script:Json = $null
    . (Join-Path $PSScriptRoot '../build/ChildPwsh.ps1')
    $script:Root = Split-Path $PSScriptRoot -Parent
    $results = Join-Path $Root 'bench/results'
    $before = @(Get-ChildItem $results -Filter '*-smoke.json' -ErrorAction SilentlyContinue | ForEach-Object FullName)
    $script:Output = Invoke-ChildPwsh -Command "& '$Root/bench/Invoke-Benchmark.ps1' -Root '$Root' -Smoke"
    $script:Json = Get-ChildItem $results -Filter '*-smoke.json' | Where-Object FullName -notin $before |
        Sort-Object LastWriteTime | Select-Object -Last 1
    $script:Result = if ($Json) { Get-Content $Json.FullName -Raw | ConvertFrom-Json } else { $null }
}

AfterAll {
    if ($script:Json) { Remove-Item $script:Json.FullName -ErrorAction SilentlyContinue }
}

Describe 'build.ps1 -Task Bench -Smoke' {
    It 'writes a smoke result with all six parts' {
        $Result | Should -Not -BeNullOrEmpty -Because $Output
        $Result.Smoke | Should -BeTrue
        foreach ($part in '1 DNS capacity', '2 PTR', '3 FCrDNS', '4 Full check', '5 Memory', '6 Import') {
            @($Result.Rows | Where-Object Part -eq $part).Count | Should -BeGreaterThan 0 -Because "part $part is measured"
        }
    }

    It 'every tool talked only to loopback' {
        foreach ($p in $Result.Raw.PSObject.Properties | Where-Object Name -like 'loopback-*') {
            foreach ($destination in $p.Value.PSObject.Properties.Name) {
                $destination | Should -Match '^(127\.\d+\.\d+\.\d+ port \d+|::1 port \d+|0\.0\.0\.0 port 0|:: port 0)$' -Because $p.Name
            }
        }
    }

    It 'the module rows did all the work they were timed for' {
        $ptr = $Result.Rows | Where-Object { $_.Part -eq '2 PTR' -and $_.What -like 'Get-PtrRecord*whole process' }
        $ptr.N | Should -Be $Result.Sizes.Ptr
        $full = $Result.Rows | Where-Object { $_.Part -eq '4 Full check' -and $_.What -like 'Test-MailIdentity*whole process' } | Select-Object -First 1
        $full.Note | Should -Match "statuses \w+ $($Result.Sizes.Smtp)\b"
        $memory = $Result.Rows | Where-Object { $_.Part -eq '5 Memory' -and $_.N -eq $Result.Sizes.MemoryLarge -and $_.Note }
        $memory.Note | Should -Match "statuses Pass $($Result.Sizes.MemoryLarge)\b"
        ($Result.Rows | Where-Object Part -eq '6 Import').Seconds | Should -BeLessThan 1
    }
}
