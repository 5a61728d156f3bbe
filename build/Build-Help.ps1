#requires -Version 7.2
<#
.SYNOPSIS
    Builds MailIdentity's offline help from docs/en-US (markdown) — no platyPS needed.
.DESCRIPTION
    Called by build.ps1 after the module is staged into <Root>/bin. Writes:
      <Destination>/en-US/MailIdentity.dll-Help.xml       MAML for every exported cmdlet (ModuleBase/en-US: where
                                                          Get-Help looks when the module is imported by its psd1)
      <Destination>/bin/en-US/MailIdentity.dll-Help.xml   the same, beside the assembly
      <Destination>/en-US/about_*.help.txt                the about topics (ModuleBase/en-US)
    The cmdlets' syntax, parameter types, aliases and pipeline input are read from the built module (in a child
    process, so this build's process does not load the DLL); the words come from the markdown. An exported cmdlet
    without complete docs is reported as a warning here and fails tests/Help.Tests.ps1.
.EXAMPLE
    ./build/Build-Help.ps1 -Root . -Destination .
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $Root,
    [Parameter(Mandatory)][string] $Destination,
    [string] $Culture = 'en-US'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Root = (Resolve-Path $Root).Path
. (Join-Path $PSScriptRoot 'HelpMarkdown.ps1')
. (Join-Path $PSScriptRoot 'ChildPwsh.ps1')

$docs = Join-Path $Root "docs/$Culture"
$manifest = Join-Path $Root 'MailIdentity.psd1'
if (-not (Test-Path (Join-Path $Root 'bin/MailIdentity.dll'))) { throw "Build-Help: $Root/bin/MailIdentity.dll is missing; stage the module first." }

# The exported cmdlets as they really are, from a fresh process.
$json = Invoke-ChildPwsh -Command @"
`$ErrorActionPreference = 'Stop'
. '$(Join-Path $PSScriptRoot 'HelpMarkdown.ps1')'
`$m = Import-Module '$manifest' -PassThru
@(Get-Command -Module `$m.Name -CommandType Cmdlet | Sort-Object Name | ForEach-Object { Get-CommandHelpMetadata `$_ }) | ConvertTo-Json -Depth 8 -AsArray
"@
$metadata = @($json | ConvertFrom-Json -AsHashtable -Depth 8)

$commands = foreach ($meta in $metadata) {
    $file = Join-Path $docs "$($meta.Name).md"
    $doc = if (Test-Path $file) { ConvertFrom-HelpMarkdown -Path $file } else { $null }
    foreach ($problem in @(Test-HelpDocument -Document $doc -Metadata $meta)) { Write-Warning "Help: $problem" }
    if ($doc) { @{ Document = $doc; Metadata = $meta } }
}

# PowerShell looks for a module's cmdlet help under ModuleBase/<culture> (the psd1's folder; verified: not beside
# bin/MailIdentity.dll), and falls back to en-US when the UI culture is invariant (LANG=C). The copy in bin/en-US
# serves anyone who imports bin/MailIdentity.dll directly.
$aboutDir = Join-Path $Destination $Culture
$binHelp = Join-Path $Destination "bin/$Culture"
$null = New-Item -ItemType Directory -Force $aboutDir, $binHelp
$maml = Join-Path $aboutDir 'MailIdentity.dll-Help.xml'
ConvertTo-MamlHelp -Command @($commands) -Path $maml
Copy-Item $maml (Join-Path $binHelp 'MailIdentity.dll-Help.xml') -Force

$abouts = @(Get-ChildItem $docs -Filter 'about_*.md')
foreach ($about in $abouts) {
    $text = ConvertTo-AboutHelpText -Path $about.FullName
    # With a BOM: Windows PowerShell 5.1 reads a BOM-less .txt as the ANSI code page.
    [IO.File]::WriteAllText((Join-Path $aboutDir "$($about.BaseName).help.txt"), $text, [Text.UTF8Encoding]::new($true))
}
Write-Host "Help: $(@($commands).Count) of $($metadata.Count) exported cmdlets documented -> $maml; $($abouts.Count) about topics -> $aboutDir"
