#requires -Version 7.2
<#
.SYNOPSIS
    Packs the staged module (out/MailIdentity, made by build.ps1 -Task Build) into out/MailIdentity.<version>.nupkg.
.DESCRIPTION
    The package is what PSResourceGet installs: the module folder at the package root plus MailIdentity.nuspec
    (id, version, authors, description, licence and project URLs, release notes and tags from the manifest).

    -Method Publish (the default when Microsoft.PowerShell.PSResourceGet is available, as in PowerShell 7.4+) lets
    Publish-PSResource pack it, into a temporary local file repository that is registered for the duration and
    removed again; this works offline. -Method Manual writes the same layout with System.IO.Compression, for hosts
    without PSResourceGet. Both check the staged module first and stop naming anything that is missing.
.PARAMETER Root
    The repository root (the folder of build.ps1).
.PARAMETER OutputDirectory
    Where the .nupkg goes. Default: <Root>/out.
.PARAMETER Method
    Auto (Publish when PSResourceGet is available, else Manual), Publish or Manual.
.OUTPUTS
    System.IO.FileInfo of the .nupkg.
.EXAMPLE
    ./build/New-Package.ps1 -Root .
#>
[CmdletBinding()]
[OutputType([System.IO.FileInfo])]
param(
    [Parameter(Mandatory)][string] $Root,
    [string] $OutputDirectory,
    [ValidateSet('Auto', 'Publish', 'Manual')][string] $Method = 'Auto'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = (Resolve-Path $Root).Path
$name = 'MailIdentity'
$module = Join-Path $Root "out/$name"
if (-not $OutputDirectory) { $OutputDirectory = Join-Path $Root 'out' }
$null = New-Item -ItemType Directory -Force $OutputDirectory
$OutputDirectory = (Resolve-Path $OutputDirectory).Path

# What an installed module needs; build.ps1 Build stages it.
$required = @("$name.psd1", "bin/$name.dll", "bin/$name.Core.dll", 'bin/DnsClient.dll', "bin/$name.Format.ps1xml",
    "en-US/$name.dll-Help.xml", "bin/en-US/$name.dll-Help.xml", "en-US/about_$name.help.txt", "en-US/about_$($name)_Rules.help.txt")
$missing = @($required | Where-Object { -not (Test-Path (Join-Path $module $_)) })
if ($missing) { throw "New-Package: the staged module $module lacks $($missing -join ', '). Run: ./build.ps1 -Task Build" }
if (Test-Path (Join-Path $module 'bin/System.Management.Automation.dll')) {
    throw "New-Package: $module/bin holds System.Management.Automation.dll; the host provides it and it must not ship."
}

$manifest = Test-ModuleManifest (Join-Path $module "$name.psd1") -ErrorAction Stop
$version = $manifest.Version.ToString()
$prerelease = $manifest.PrivateData.PSData['Prerelease']
$fullVersion = if ($prerelease) { "$version-$prerelease" } else { $version }
$target = Join-Path $OutputDirectory "$name.$fullVersion.nupkg"
Remove-Item $target -ErrorAction SilentlyContinue

if ($Method -eq 'Auto') {
    $Method = if (Get-Command Publish-PSResource -ErrorAction SilentlyContinue) { 'Publish' } else { 'Manual' }
}

if ($Method -eq 'Publish') {
    $repoDir = Join-Path ([IO.Path]::GetTempPath()) "mailidentity-publish-$([guid]::NewGuid().ToString('N'))"
    $repoName = "MailIdentityBuild$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $null = New-Item -ItemType Directory $repoDir
    Register-PSResourceRepository -Name $repoName -Uri $repoDir -Trusted
    try {
        Publish-PSResource -Path $module -Repository $repoName -SkipDependenciesCheck
        $built = @(Get-ChildItem $repoDir -Filter '*.nupkg')
        if ($built.Count -ne 1) { throw "New-Package: Publish-PSResource wrote $($built.Count) packages to $repoDir, expected 1." }
        Move-Item $built[0].FullName $target -Force
    }
    finally {
        Unregister-PSResourceRepository -Name $repoName -ErrorAction SilentlyContinue
        Remove-Item $repoDir -Recurse -Force -ErrorAction SilentlyContinue
    }
}
else {
    Add-Type -AssemblyName System.IO.Compression
    $psData = $manifest.PrivateData.PSData
    $tags = @('PSModule') + @($psData['Tags']) + @($manifest.ExportedCmdlets.Keys | ForEach-Object { "PSCmdlet_$_" }) + 'PSIncludes_Cmdlet'
    $settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [Text.UTF8Encoding]::new($false) }
    $nuspec = [IO.MemoryStream]::new()
    $w = [System.Xml.XmlWriter]::Create($nuspec, $settings)
    $ns = 'http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd'
    $w.WriteStartDocument()
    $w.WriteStartElement('package', $ns)
    $w.WriteStartElement('metadata', $ns)
    $w.WriteElementString('id', $ns, $name)
    $w.WriteElementString('version', $ns, $fullVersion)
    $w.WriteElementString('authors', $ns, $manifest.Author)
    $w.WriteElementString('owners', $ns, $manifest.CompanyName)
    $w.WriteElementString('requireLicenseAcceptance', $ns, 'false')
    if ($manifest.LicenseUri) { $w.WriteElementString('licenseUrl', $ns, $manifest.LicenseUri.ToString()) }
    if ($manifest.ProjectUri) { $w.WriteElementString('projectUrl', $ns, $manifest.ProjectUri.ToString()) }
    $w.WriteElementString('description', $ns, $manifest.Description)
    if ($manifest.ReleaseNotes) { $w.WriteElementString('releaseNotes', $ns, $manifest.ReleaseNotes) }
    $w.WriteElementString('copyright', $ns, $manifest.Copyright)
    $w.WriteElementString('tags', $ns, ($tags | Where-Object { $_ } | Select-Object -Unique) -join ' ')
    $w.WriteEndElement(); $w.WriteEndElement(); $w.WriteEndDocument(); $w.Dispose()

    $contentTypes = @'
<?xml version="1.0" encoding="utf-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" /><Default Extension="nuspec" ContentType="application/octet" /><Default Extension="psd1" ContentType="application/octet" /><Default Extension="dll" ContentType="application/octet" /><Default Extension="ps1xml" ContentType="application/octet" /><Default Extension="xml" ContentType="application/octet" /><Default Extension="txt" ContentType="application/octet" /><Default Extension="md" ContentType="application/octet" /><Default Extension="psmdcp" ContentType="application/vnd.openxmlformats-package.core-properties+xml" /><Default Extension="" ContentType="application/octet" /></Types>
'@
    $rels = @"
<?xml version="1.0" encoding="utf-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Type="http://schemas.microsoft.com/packaging/2010/07/manifest" Target="/$name.nuspec" Id="R$([guid]::NewGuid().ToString('N').Substring(0, 16))" /></Relationships>
"@
    $zip = [System.IO.Compression.ZipFile]::Open($target, [System.IO.Compression.ZipArchiveMode]::Create)
    try {
        function Add-Entry([string] $Path, [byte[]] $Bytes) {
            $entry = $zip.CreateEntry($Path, [System.IO.Compression.CompressionLevel]::Optimal)
            $s = $entry.Open(); try { $s.Write($Bytes, 0, $Bytes.Length) } finally { $s.Dispose() }
        }
        Add-Entry "$name.nuspec" $nuspec.ToArray()
        Add-Entry '[Content_Types].xml' ([Text.Encoding]::UTF8.GetBytes($contentTypes))
        Add-Entry '_rels/.rels' ([Text.Encoding]::UTF8.GetBytes($rels))
        foreach ($file in Get-ChildItem $module -Recurse -File) {
            $relative = [IO.Path]::GetRelativePath($module, $file.FullName).Replace('\', '/')
            Add-Entry $relative ([IO.File]::ReadAllBytes($file.FullName))
        }
    }
    finally { $zip.Dispose() }
}

Write-Host "Packed $name $fullVersion ($Method) -> $target"
Get-Item $target
