# Runs PowerShell code in a fresh pwsh process (so a module's DLL is never loaded into the caller's process).
# Under `dotnet pwsh` (the repo's local tool) the process is dotnet itself, so pwsh.dll must be passed to it.
Set-StrictMode -Version Latest

function Get-ChildPwshCommand {
    $exe = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $exe; Join-Path $PSHOME 'pwsh.dll' }
    else { $exe }
}

function Invoke-ChildPwsh {
    <# Runs -Command in a child pwsh; returns its standard output; throws with its error output when it fails. #>
    param([Parameter(Mandatory)][string] $Command, [hashtable] $Environment = @{})
    $cmd = @(Get-ChildPwshCommand)
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Command))
    $saved = @{}
    foreach ($k in $Environment.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $Environment[$k]) }
    try {
        $errFile = [IO.Path]::GetTempFileName()
        $arguments = @($cmd | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-OutputFormat', 'Text', '-EncodedCommand', $encoded)
        $output = & $cmd[0] @arguments 2>$errFile
        $code = $LASTEXITCODE
        $err = Get-Content $errFile -Raw -ErrorAction SilentlyContinue
        Remove-Item $errFile -ErrorAction SilentlyContinue
    }
    finally {
        foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
    }
    if ($code -ne 0) { throw "The child pwsh failed (exit code $code): $err" }
    $output -join [Environment]::NewLine
}
