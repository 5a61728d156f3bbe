#requires -Version 7.2
<#
.SYNOPSIS
    Builds, stages, tests and demonstrates MailIdentity.
.DESCRIPTION
    Tasks (run in the order given):
      Build    compile (Release), stage the importable module into ./bin (so Import-Module ./MailIdentity.psd1
               works from the repository root) and into ./out/MailIdentity, generate help.
      Test     Build, start the lab (real BIND9, Postfix and the fake SMTP server on 127.x), run the xunit
               tests, then Pester against the staged module; stop the lab; print the summary.
      Lab      start the lab and leave it running (StopLab stops it).
      Demo     Build, start the lab, run Import-Csv | Test-MailIdentity on the lab's hosts, stop the lab.
      Bench    Build, run bench/Invoke-Benchmark.ps1.
      Package  Build, produce out/MailIdentity.<version>.nupkg.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'UnitTest', 'PesterTest', 'Lab', 'StopLab', 'Demo', 'Bench', 'Package', 'Clean')]
    [string[]] $Task = @('Build'),
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    # Pester: run only files whose name matches (e.g. 'PtrRecord').
    [string] $TestFilter = '*',
    # Bench: the small size used by CI's smoke run.
    [switch] $Smoke
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Root = $PSScriptRoot
$ModuleName = 'MailIdentity'
$Staged = Join-Path $Root 'bin'
$OutModule = Join-Path $Root "out/$ModuleName"
. (Join-Path $Root 'tests/lab/Lab.ps1')
. (Join-Path $Root 'build/ChildPwsh.ps1')

function Invoke-Native {
    # Plain $args: a native command's switches (-c, -o) must not bind to this function's parameters.
    $command, $arguments = $args
    & $command @arguments
    if ($LASTEXITCODE -ne 0) { throw "$command $($arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Get-PesterModulePath {
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $version = ([xml](Get-Content (Join-Path $Root 'tests/tools/tools.csproj') -Raw)).Project.ItemGroup.PackageDownload |
        Where-Object Include -eq 'Pester' | ForEach-Object { $_.Version.Trim('[', ']') }
    $path = Join-Path $packages "pester/$version/tools/Pester.psd1"
    if (-not (Test-Path $path)) {
        Invoke-Native dotnet restore (Join-Path $Root 'tests/tools/tools.csproj') --verbosity quiet
    }
    $path
}

function Invoke-Build {
    Invoke-Native dotnet build (Join-Path $Root 'MailIdentity.sln') -c $Configuration --nologo --verbosity quiet
    $binary = Join-Path $Root "src/$ModuleName/bin/$Configuration/netstandard2.0"
    Remove-Item $Staged -Recurse -Force -ErrorAction SilentlyContinue
    $null = New-Item -ItemType Directory -Force $Staged
    # Our DLLs, DnsClient and the netstandard2.0 dependencies Windows PowerShell 5.1 needs;
    # System.Management.Automation is the host's, never ours to ship.
    Get-ChildItem $binary -Filter *.dll | Where-Object Name -ne 'System.Management.Automation.dll' |
        Copy-Item -Destination $Staged
    Copy-Item (Join-Path $Root "src/$ModuleName/$ModuleName.Format.ps1xml") $Staged
    $helpScript = Join-Path $Root 'build/Build-Help.ps1'
    if (Test-Path $helpScript) { & $helpScript -Root $Root -Destination $Root }

    Remove-Item $OutModule -Recurse -Force -ErrorAction SilentlyContinue
    $null = New-Item -ItemType Directory -Force $OutModule
    Copy-Item (Join-Path $Root "$ModuleName.psd1") $OutModule
    Copy-Item $Staged (Join-Path $OutModule 'bin') -Recurse
    if (Test-Path (Join-Path $Root 'en-US')) { Copy-Item (Join-Path $Root 'en-US') $OutModule -Recurse }
    foreach ($f in 'README.md', 'CHANGELOG.md', 'LICENSE') {
        if (Test-Path (Join-Path $Root $f)) { Copy-Item (Join-Path $Root $f) $OutModule }
    }
    Write-Host "Staged $ModuleName into $Staged and $OutModule"
}

function Invoke-UnitTest {
    $results = Join-Path $Root 'out/TestResults'
    Remove-Item $results -Recurse -Force -ErrorAction SilentlyContinue
    & dotnet test (Join-Path $Root 'MailIdentity.sln') -c $Configuration --no-build --nologo `
        --logger 'console;verbosity=minimal' --logger 'trx;LogFileName=unit.trx' --results-directory $results | Out-Host
    $exit = $LASTEXITCODE
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($trx in Get-ChildItem $results -Filter *.trx -Recurse -ErrorAction SilentlyContinue) {
        $counters = ([xml](Get-Content $trx.FullName -Raw)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed; $failed += [int]$counters.failed + [int]$counters.error
        $skipped += [int]$counters.notExecuted
    }
    if ($exit -ne 0 -and $failed -eq 0) { $failed = 1 }
    [pscustomobject]@{ Runner = 'xunit'; Passed = $passed; Failed = $failed; Skipped = $skipped }
}

function Invoke-PesterTest {
    $pester = Get-PesterModulePath
    $summary = Join-Path $Root 'out/pester-summary.json'
    Remove-Item $summary -ErrorAction SilentlyContinue
    # A child process: the module's DLL must be loaded fresh from the staged copy, not into this build.
    $runner = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$pester' -MinimumVersion 5.7.1
`$c = New-PesterConfiguration
`$c.Run.Path = '$Root/tests'
`$c.Run.PassThru = `$true
`$c.Filter.FullName = @()
`$c.Output.Verbosity = 'Normal'
`$c.TestResult.Enabled = `$false
`$files = Get-ChildItem '$Root/tests' -Filter '*.Tests.ps1' -Recurse | Where-Object Name -like '*$TestFilter*'
`$c.Run.Path = [string[]]`$files.FullName
`$r = Invoke-Pester -Configuration `$c
@{ Passed = `$r.PassedCount; Failed = `$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount; Skipped = `$r.SkippedCount } |
    ConvertTo-Json | Set-Content '$summary'
"@
    $pwsh = @(Get-ChildPwshCommand)
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $runner | Out-Host
    if (-not (Test-Path $summary)) { return [pscustomobject]@{ Runner = 'Pester'; Passed = 0; Failed = 1; Skipped = 0 } }
    $s = Get-Content $summary -Raw | ConvertFrom-Json
    # A run that ended before counting (Pester itself failed) is a failure, never "0 failed".
    $failed = if ($null -eq $s.Failed -or $null -eq $s.Passed) { 1 } else { [int]$s.Failed }
    [pscustomobject]@{ Runner = 'Pester'; Passed = [int]$s.Passed; Failed = $failed; Skipped = [int]$s.Skipped }
}

function Invoke-Test {
    param([switch] $Unit, [switch] $Pester)
    $rows = @()
    $lab = $null
    try {
        if ($Unit) { $rows += Invoke-UnitTest }
        if ($Pester) {
            $lab = Start-MailLab
            Write-Host "Lab running: DNS $($lab.DnsServer), SMTP port $($lab.SmtpPort)"
            $rows += Invoke-PesterTest
        }
    }
    finally {
        if ($lab) { Stop-MailLab }
    }
    $rows | Format-Table -AutoSize | Out-String | Write-Host
    $passed = ($rows | Measure-Object Passed -Sum).Sum
    $failed = ($rows | Measure-Object Failed -Sum).Sum
    $skipped = ($rows | Measure-Object Skipped -Sum).Sum
    Write-Host "Tests: $passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0 -or $passed -eq 0) { throw "Tests failed: $failed failed, $passed passed." }
}

foreach ($t in $Task) {
    switch ($t) {
        'Clean' { Remove-Item $Staged, (Join-Path $Root 'out'), (Join-Path $Root 'en-US') -Recurse -Force -ErrorAction SilentlyContinue }
        'Build' { Invoke-Build }
        'UnitTest' { Invoke-Build; Invoke-Test -Unit }
        'PesterTest' { Invoke-Build; Invoke-Test -Pester }
        'Test' { Invoke-Build; Invoke-Test -Unit -Pester }
        'Lab' { $s = Start-MailLab; $s; Write-Host "Stop it with: ./build.ps1 -Task StopLab" }
        'StopLab' { Stop-MailLab }
        'Demo' { Invoke-Build; & (Join-Path $Root 'tests/lab/Invoke-Demo.ps1') -Root $Root }
        'Bench' { Invoke-Build; & (Join-Path $Root 'bench/Invoke-Benchmark.ps1') -Root $Root -Smoke:$Smoke }
        'Package' { Invoke-Build; & (Join-Path $Root 'build/New-Package.ps1') -Root $Root }
    }
}
