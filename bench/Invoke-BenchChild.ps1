#requires -Version 7.2
<#
.SYNOPSIS
    One measured run of the module inside a fresh pwsh, started by Invoke-Benchmark.ps1.
.DESCRIPTION
    Imports the staged module, runs one pipeline over the addresses in -InputFile and writes a JSON summary
    to -ResultFile: milliseconds from process start to this script, the import time, the run time (the
    pipeline alone: "excluding start-up"), how many results and errors came back, and their statuses, so
    the parent can check the work was really done (every synthetic host resolves and confirms).
    The parent times the whole process around this script ("whole-process wall time").
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $Module,
    [Parameter(Mandatory)][ValidateSet('Import', 'Ptr', 'Fcrdns', 'Identity', 'DnsClientLoop')][string] $Mode,
    [Parameter(Mandatory)][string] $ResultFile,
    [string] $InputFile,
    [string] $DnsServer,
    [int] $ThrottleLimit,
    [int] $Port = 25,
    [switch] $SkipSmtp,
    # Count statuses while streaming instead of collecting the results (the memory runs).
    [switch] $Stream
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$scriptStart = [DateTime]::Now
$startup = ($scriptStart - (Get-Process -Id $PID).StartTime).TotalMilliseconds

$watch = [Diagnostics.Stopwatch]::StartNew()
Import-Module $Module
$importMs = $watch.Elapsed.TotalMilliseconds

$statuses = @{}
$count = 0
$errors = [System.Collections.ArrayList]::new()
$common = @{ ErrorAction = 'SilentlyContinue'; ErrorVariable = '+errors' }
if ($DnsServer) { $common.DnsServer = $DnsServer }
if ($ThrottleLimit -gt 0) { $common.ThrottleLimit = $ThrottleLimit }

$watch.Restart()
switch ($Mode) {
    'Import' { }
    'DnsClientLoop' {
        # What a script writer does: one LookupClient, a plain foreach, one query at a time.
        Add-Type -LiteralPath (Join-Path (Split-Path -Parent $Module) 'bin/DnsClient.dll')
        $server = $DnsServer -split ':'
        $options = [DnsClient.LookupClientOptions]::new([System.Net.IPEndPoint]::new([ipaddress]$server[0], [int]$server[1]))
        $options.UseCache = $false
        $client = [DnsClient.LookupClient]::new($options)
        foreach ($ip in [IO.File]::ReadAllLines($InputFile)) {
            $answer = $client.QueryReverse([ipaddress]$ip)
            $name = @($answer.Answers.Where({ $_ -is [DnsClient.Protocol.PtrRecord] }))
            $key = if ($answer.HasError) { 'Error' } elseif ($name.Count -gt 0) { 'Found' } else { 'NotFound' }
            $statuses[$key] = 1 + [int]$statuses[$key]
            $count++
        }
    }
    default {
        $command = @{ Ptr = 'Get-PtrRecord'; Fcrdns = 'Test-ForwardConfirmedRdns'; Identity = 'Test-MailIdentity' }[$Mode]
        if ($Mode -eq 'Identity') {
            if ($SkipSmtp) { $common.SkipSmtp = $true } else { $common.Port = $Port }
        }
        if ($Stream) {
            Get-Content -LiteralPath $InputFile | & $command @common | ForEach-Object { $count++; $statuses[[string]$_.Status] = 1 + [int]$statuses[[string]$_.Status] }
        }
        else {
            $results = Get-Content -LiteralPath $InputFile | & $command @common
            $runMs = $watch.Elapsed.TotalMilliseconds
            foreach ($r in $results) { $count++; $statuses[[string]$r.Status] = 1 + [int]$statuses[[string]$r.Status] }
            if ($Mode -eq 'Identity') {
                # Which rules did not pass, and one example: the synthetic hosts are meant to be aligned.
                $rules = @{}
                foreach ($r in $results) { foreach ($id in @($r.WarningRules) + @($r.FailingRules) + @($r.InconclusiveRules)) { if ($id) { $rules["$id"] = 1 + [int]$rules["$id"] } } }
                $example = @($results | Select-Object -First 1 | ForEach-Object { @($_.Findings) | Where-Object { "$($_.Severity)" -ne 'Pass' } | ForEach-Object { "$_" } })
            }
        }
    }
}
if (-not (Get-Variable runMs -ErrorAction SilentlyContinue)) { $runMs = $watch.Elapsed.TotalMilliseconds }
# Managed heap at the end, before and after a full collection: what the run still holds vs garbage not yet collected.
$heapBefore = [GC]::GetGCMemoryInfo().HeapSizeBytes

[ordered]@{
    StartupMs  = [math]::Round($startup, 1)
    ImportMs   = [math]::Round($importMs, 1)
    RunMs      = [math]::Round($runMs, 1)
    Count      = $count
    Errors     = $errors.Count
    FirstError = if ($errors.Count) { [string]$errors[0] } else { $null }
    Statuses   = $statuses
    HeapMiB    = [math]::Round($heapBefore / 1MB, 1)
    GcCounts   = @(0, 1, 2 | ForEach-Object { [GC]::CollectionCount($_) })
    NotPassing = if (Get-Variable rules -ErrorAction SilentlyContinue) { $rules } else { $null }
    Example    = if (Get-Variable example -ErrorAction SilentlyContinue) { $example } else { $null }
} | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $ResultFile
