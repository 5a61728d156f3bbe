#requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
# The package: build/New-Package.ps1 packs the staged module (out/MailIdentity), PSResourceGet installs it from a
# temporary local file repository, and a fresh pwsh imports it BY NAME and queries the lab's BIND9 with it.

BeforeAll {
    $script:Root = Split-Path $PSScriptRoot -Parent
    . (Join-Path $Root 'build/ChildPwsh.ps1')
    . (Join-Path $Root 'tests/lab/Lab.ps1')
    $script:Dns = (Start-MailLab).DnsServer
    $script:Manifest = Test-ModuleManifest (Join-Path $Root 'out/MailIdentity/MailIdentity.psd1') -ErrorAction Stop
    $script:Version = $Manifest.Version.ToString()
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "mailidentity-package-$PID"
    Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue
    $null = New-Item -ItemType Directory $Work

    function Install-FromPackage {
        # Registers a temporary local file repository holding $Package, saves the module from it into
        # <Work>/<Label>/modules with PSResourceGet, and unregisters the repository again.
        param([string] $Package, [string] $Label)
        $feed = Join-Path $Work "$Label-feed"
        $modules = Join-Path $Work "$Label/modules"
        $null = New-Item -ItemType Directory -Force $feed, $modules
        Copy-Item $Package $feed
        $repo = "MailIdentityTest$PID$Label"
        Register-PSResourceRepository -Name $repo -Uri $feed -Trusted
        try {
            $found = Find-PSResource -Name MailIdentity -Repository $repo
            Save-PSResource -Name MailIdentity -Repository $repo -Path $modules -TrustRepository -SkipDependencyCheck
        }
        finally { Unregister-PSResourceRepository -Name $repo -ErrorAction SilentlyContinue }
        [pscustomobject]@{ Found = $found; Modules = $modules }
    }

    function Invoke-Installed {
        # Imports MailIdentity by name in a fresh pwsh that sees only the saved copy, and reports what it does.
        param([string] $Modules)
        $separator = [IO.Path]::PathSeparator
        $json = Invoke-ChildPwsh -Environment @{ PSModulePath = "$Modules$separator$([Environment]::GetEnvironmentVariable('PSModulePath'))" } -Command @"
`$ErrorActionPreference = 'Stop'
Import-Module MailIdentity
`$m = Get-Module MailIdentity
`$r = Get-PtrRecord 127.0.1.1 -DnsServer '$Dns'
[ordered]@{
    ModuleBase = `$m.ModuleBase
    Version    = `$m.Version.ToString()
    Cmdlets    = @(`$m.ExportedCmdlets.Keys)
    Hostname   = `$r.Hostname
    Status     = [string]`$r.Status
    Synopsis   = (Get-Help Get-PtrRecord).Synopsis
    About      = (Get-Help about_MailIdentity | Out-String)
    Table      = (`$r | Out-String -Width 200)
} | ConvertTo-Json -Depth 3
"@
        $json | ConvertFrom-Json
    }
}

AfterAll {
    Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The manifest' {
    It 'passes Test-ModuleManifest with version, GUID, author, description, tags, project and licence URIs and release notes' {
        $m = Test-ModuleManifest (Join-Path $Root 'MailIdentity.psd1') -ErrorAction Stop
        $m.Version | Should -BeGreaterThan ([version]'0.0')
        $m.Guid | Should -Not -Be ([guid]::Empty)
        $m.Author | Should -Not -BeNullOrEmpty
        $m.Description.Length | Should -BeGreaterThan 50
        $m.Tags | Should -Contain 'PTR'
        $m.ProjectUri | Should -Not -BeNullOrEmpty
        $m.LicenseUri | Should -Not -BeNullOrEmpty
        $m.ReleaseNotes | Should -Match ([regex]::Escape($m.Version.ToString()))
        $m.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
    }

    It 'CHANGELOG.md has a section for the manifest version' {
        $changelog = Join-Path $Root 'CHANGELOG.md'
        $changelog | Should -Exist
        Get-Content $changelog -Raw | Should -Match "(?m)^## \[$([regex]::Escape($Version))\]"
    }

    It 'LICENSE holds the Apache License 2.0 the manifest points to' {
        $text = Get-Content (Join-Path $Root 'LICENSE') -Raw
        $text | Should -Match 'Apache License\s+Version 2\.0, January 2004'
        $text | Should -Match 'END OF TERMS AND CONDITIONS'
        (Test-ModuleManifest (Join-Path $Root 'MailIdentity.psd1')).LicenseUri | Should -Match 'LICENSE-2\.0'
    }
}

Describe 'build/New-Package.ps1' {
    BeforeAll {
        $script:Published = & (Join-Path $Root 'build/New-Package.ps1') -Root $Root -OutputDirectory (Join-Path $Work 'publish') -Method Publish 6>$null
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($Published.FullName)
        try {
            $script:Entries = @($zip.Entries.FullName)
            $reader = [IO.StreamReader]::new(($zip.Entries | Where-Object FullName -eq 'MailIdentity.nuspec').Open())
            $script:Nuspec = [xml]$reader.ReadToEnd(); $reader.Dispose()
        }
        finally { $zip.Dispose() }
    }

    It 'writes MailIdentity.<version>.nupkg' {
        $Published.Name | Should -Be "MailIdentity.$Version.nupkg"
    }

    It 'the package holds the module at its root: manifest, DLLs, format file, help, about topics, licence, changelog' {
        foreach ($e in 'MailIdentity.psd1', 'bin/MailIdentity.dll', 'bin/MailIdentity.Core.dll', 'bin/DnsClient.dll',
            'bin/MailIdentity.Format.ps1xml', 'en-US/MailIdentity.dll-Help.xml', 'bin/en-US/MailIdentity.dll-Help.xml',
            'en-US/about_MailIdentity.help.txt', 'en-US/about_MailIdentity_Rules.help.txt', 'LICENSE', 'CHANGELOG.md', 'MailIdentity.nuspec') {
            $Entries | Should -Contain $e
        }
    }

    It 'ships no System.Management.Automation.dll (the host provides it)' {
        $Entries | Where-Object { $_ -like '*System.Management.Automation.dll' } | Should -BeNullOrEmpty
    }

    It 'the nuspec carries id, version, authors, URLs, release notes and the PSModule tag from the manifest' {
        $meta = $Nuspec.package.metadata
        $meta.id | Should -Be 'MailIdentity'
        $meta.version | Should -Be $Version
        $meta.authors | Should -Be $Manifest.Author
        $meta.licenseUrl | Should -Be $Manifest.LicenseUri.ToString()
        $meta.projectUrl | Should -Be $Manifest.ProjectUri.ToString()
        $meta.releaseNotes | Should -Not -BeNullOrEmpty
        $meta.tags -split ' ' | Should -Contain 'PSModule'
    }

    It 'stops with a clear message when the module is not staged' {
        $empty = Join-Path $Work 'empty-root'
        $null = New-Item -ItemType Directory -Force (Join-Path $empty 'out/MailIdentity')
        { & (Join-Path $Root 'build/New-Package.ps1') -Root $empty -Method Manual 6>$null } | Should -Throw '*lacks MailIdentity.psd1*Run: ./build.ps1 -Task Build*'
    }

    It 'leaves no temporary repository registered' {
        @(Get-PSResourceRepository | Where-Object Name -like 'MailIdentityBuild*') | Should -BeNullOrEmpty
    }
}

Describe 'Installed from the package with PSResourceGet' -ForEach @(
    @{ Method = 'Publish' }
    @{ Method = 'Manual' }
) {
    BeforeAll {
        $package = & (Join-Path $Root 'build/New-Package.ps1') -Root $Root -OutputDirectory (Join-Path $Work "pkg-$Method") -Method $Method 6>$null
        $script:Installed = Install-FromPackage -Package $package.FullName -Label $Method
        $script:Run = Invoke-Installed -Modules $Installed.Modules
    }

    It '<Method>: Find-PSResource sees MailIdentity <Version> in the local repository' {
        $Installed.Found.Name | Should -Be 'MailIdentity'
        $Installed.Found.Version.ToString() | Should -Be $Version
    }

    It '<Method>: Save-PSResource puts it in MailIdentity/<version>' {
        Join-Path $Installed.Modules "MailIdentity/$Version/MailIdentity.psd1" | Should -Exist
        Join-Path $Installed.Modules "MailIdentity/$Version/bin/MailIdentity.dll" | Should -Exist
    }

    It '<Method>: a fresh pwsh imports it by name from the installed copy' {
        $Run.ModuleBase | Should -BeLike "$($Installed.Modules)*"
        $Run.Version | Should -Be $Version
        $Run.Cmdlets | Should -Contain 'Get-PtrRecord'
    }

    It '<Method>: Get-PtrRecord 127.0.1.1 against the lab DNS finds the PTR mail.c01.example' {
        $Run.Status | Should -Be 'Found'
        $Run.Hostname | Should -Be 'mail.c01.example'
    }

    It '<Method>: the installed module has its offline help and format views' {
        $Run.Synopsis | Should -Be 'Looks up the PTR (reverse DNS) records of IP addresses.'
        $Run.About | Should -Match 'WORKFLOW'
        $Run.Table | Should -Match '(?m)^IPAddress\s+Status\s+Hostnames\s+TTL\s+Server'
    }
}
