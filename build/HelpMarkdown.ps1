# Turns the help source in docs/en-US (markdown, structure in docs/README.md) into what PowerShell reads:
# MAML XML for the cmdlets and about_*.help.txt topics. Dot-sourced by build/Build-Help.ps1 and tests/Help.Tests.ps1.
# Written for PowerShell 7 (the build runs there); the files it writes are read by Windows PowerShell 5.1 too.
Set-StrictMode -Version Latest

$script:CommonParameterNames = @(
    [System.Management.Automation.PSCmdlet]::CommonParameters
    [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    'ProgressAction'
)

function ConvertFrom-HelpMarkdown {
    <#
    .SYNOPSIS
        Parses one cmdlet help file (docs/en-US/<Cmdlet>.md) into an object.
    .DESCRIPTION
        Sections are the level-2 headings; examples, parameters, inputs and outputs are the level-3 headings
        inside their section. Throws, naming the file and line, when the structure is broken.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string] $Path)

    $lines = @(Get-Content -LiteralPath $Path -Encoding utf8)
    $i = 0
    # Optional YAML front matter.
    if ($lines.Count -gt 0 -and $lines[0] -eq '---') {
        $i = 1
        while ($i -lt $lines.Count -and $lines[$i] -ne '---') { $i++ }
        $i++
    }

    $doc = [ordered]@{
        Path = $Path; Name = $null; Synopsis = ''; Description = @(); Examples = @(); Parameters = [ordered]@{}
        Inputs = @(); Outputs = @(); Notes = @(); Links = @()
    }
    $section = $null
    $current = $null
    $body = [System.Collections.Generic.List[string]]::new()

    $flush = {
        if ($null -eq $section) { return }
        $text = @($body)
        switch ($section) {
            'SYNOPSIS' { $doc.Synopsis = (ConvertTo-HelpParagraph $text) -join ' ' }
            'DESCRIPTION' { $doc.Description = @(ConvertTo-HelpParagraph $text) }
            'NOTES' { $doc.Notes = @(ConvertTo-HelpParagraph $text) }
            'RELATED LINKS' {
                $doc.Links = @($text | Where-Object { $_ -match '^\s*[-*]\s+' } | ForEach-Object {
                        if ($_ -match '\[(?<text>[^\]]+)\]\((?<uri>[^)]*)\)') {
                            $linkText = $Matches.text; $uri = $Matches.uri
                            [pscustomobject]@{ Text = $linkText; Uri = if ($uri -match '^https?://') { $uri } else { '' } }
                        }
                        else { [pscustomobject]@{ Text = ($_ -replace '^\s*[-*]\s+', '').Trim(); Uri = '' } }
                    })
            }
            'EXAMPLES' {
                if ($null -eq $current) { break }
                $code = [System.Collections.Generic.List[string]]::new()
                $remarks = [System.Collections.Generic.List[string]]::new()
                $inCode = $false; $seenCode = $false
                foreach ($l in $text) {
                    if ($l -match '^```') {
                        if ($seenCode -and -not $inCode) { throw "${Path}: example '$current' has more than one code block." }
                        $inCode = -not $inCode; $seenCode = $true; continue
                    }
                    if ($inCode) { $code.Add($l) } else { $remarks.Add($l) }
                }
                if (-not $seenCode) { throw "${Path}: example '$current' has no code block." }
                $doc.Examples += [pscustomobject]@{
                    Title   = $current
                    Code    = (@($code) -join "`n").Trim()
                    Remarks = @(ConvertTo-HelpParagraph @($remarks))
                }
            }
            'PARAMETERS' {
                if ($null -eq $current -or $current -eq 'CommonParameters') { break }
                if ($current -notmatch '^-(?<name>\w+)$') { throw "${Path}: parameter heading '### $current' must be '### -Name'." }
                $name = $Matches.name
                $fields = [ordered]@{}
                $prose = [System.Collections.Generic.List[string]]::new()
                $inYaml = $false
                foreach ($l in $text) {
                    if ($l -match '^```\s*yaml\s*$') { $inYaml = $true; continue }
                    if ($inYaml -and $l -match '^```') { $inYaml = $false; continue }
                    if ($inYaml) {
                        if ($l -match '^\s*(?<k>[^:]+?)\s*:\s*(?<v>.*)$') { $fields[$Matches.k] = $Matches.v.Trim() }
                    }
                    else { $prose.Add($l) }
                }
                $doc.Parameters[$name] = [pscustomobject]@{
                    Name        = $name
                    Description = @(ConvertTo-HelpParagraph @($prose))
                    Fields      = $fields
                }
            }
            { $_ -in 'INPUTS', 'OUTPUTS' } {
                if ($null -eq $current) { break }
                $entry = [pscustomobject]@{ Type = $current; Description = @(ConvertTo-HelpParagraph $text) }
                if ($section -eq 'INPUTS') { $doc.Inputs += $entry } else { $doc.Outputs += $entry }
            }
            'SYNTAX' { }
            default { throw "${Path}: unknown section '## $section'." }
        }
    }

    for (; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        if ($line -match '^# (?<name>\S+)\s*$' -and -not $doc.Name) { $doc.Name = $Matches.name; continue }
        if ($line -match '^## (?<h>.+?)\s*$') {
            & $flush; $body.Clear(); $current = $null
            $section = $Matches.h.ToUpperInvariant()
            continue
        }
        if ($line -match '^### (?<h>.+?)\s*$' -and $section -in 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS') {
            & $flush; $body.Clear()
            $current = $Matches.h
            continue
        }
        $body.Add($line)
    }
    & $flush

    if (-not $doc.Name) { throw "${Path}: no '# <Cmdlet-Name>' heading." }
    $expected = [IO.Path]::GetFileNameWithoutExtension($Path)
    if ($doc.Name -ne $expected) { throw "${Path}: the heading names '$($doc.Name)' but the file is named '$expected'." }
    [pscustomobject]$doc
}

function ConvertTo-HelpParagraph {
    <#
    .SYNOPSIS
        Markdown lines -> paragraphs. Blank lines separate paragraphs; list items and indented or fenced code keep
        their own lines (code lines are indented by four spaces); inline markup (`code`, **bold**, links) is removed.
    #>
    param([string[]] $Lines)
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $current = [System.Collections.Generic.List[string]]::new()
    $inCode = $false
    $done = {
        if ($current.Count -gt 0) { $paragraphs.Add(($current -join ' ').Trim()); $current.Clear() }
    }
    foreach ($raw in @($Lines)) {
        if ($null -eq $raw) { continue }
        if ($raw -match '^\s*```') { & $done; $inCode = -not $inCode; continue }
        if ($inCode) { $paragraphs.Add('    ' + $raw.TrimEnd()); continue }
        $line = ConvertFrom-InlineMarkdown $raw.TrimEnd()
        if ($line.Trim() -eq '') { & $done; continue }
        if ($line -match '^\s*([-*]|\d+\.)\s+') { & $done; $current.Add(($line.Trim() -replace '^\*\s+', '- ')); continue }
        if ($line -match '^\s*\|') { & $done; $paragraphs.Add($line.Trim()); continue }
        $current.Add($line.Trim())
    }
    & $done
    @($paragraphs)
}

function ConvertFrom-InlineMarkdown {
    param([string] $Text)
    $t = $Text -replace '\[([^\]]+)\]\([^)]*\)', '$1'
    $t = $t -replace '\*\*([^*]+)\*\*', '$1'
    $t = $t -replace '(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])', '$1'
    $t = $t -replace '`([^`]+)`', '$1'
    $t
}

function Get-CommandHelpMetadata {
    <#
    .SYNOPSIS
        What the help needs to know about a real cmdlet: parameter sets, parameters (common ones excluded),
        aliases, pipeline input and output types. Plain data, so it survives ConvertTo-Json from a child process.
    #>
    param([Parameter(Mandatory)][System.Management.Automation.CommandInfo] $Command)
    $parameters = [ordered]@{}
    foreach ($p in $Command.Parameters.Values) {
        if ($p.Name -in $script:CommonParameterNames) { continue }
        $attributes = @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
        $byValue = [bool]($attributes | Where-Object ValueFromPipeline)
        $byName = [bool]($attributes | Where-Object ValueFromPipelineByPropertyName)
        $pipeline = @(); if ($byValue) { $pipeline += 'ByValue' }; if ($byName) { $pipeline += 'ByPropertyName' }
        $set = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
        $enum = if ($p.ParameterType.IsEnum) { [enum]::GetNames($p.ParameterType) } else { $null }
        $parameters[$p.Name] = [ordered]@{
            Name          = $p.Name
            Type          = Get-HelpTypeName $p.ParameterType
            TypeFullName  = $p.ParameterType.FullName
            IsSwitch      = $p.SwitchParameter
            Aliases       = @($p.Aliases)
            PipelineInput = if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }
            Wildcards     = [bool]($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
            ValidValues   = @(if ($set) { $set.ValidValues } elseif ($enum) { $enum })
        }
    }
    $sets = foreach ($s in $Command.ParameterSets) {
        [ordered]@{
            Name       = $s.Name
            IsDefault  = $s.IsDefault
            Parameters = @(foreach ($p in $s.Parameters) {
                    if ($p.Name -in $script:CommonParameterNames) { continue }
                    [ordered]@{ Name = $p.Name; Required = $p.IsMandatory; Position = $p.Position }
                })
        }
    }
    [ordered]@{
        Name          = $Command.Name
        Verb          = $Command.Verb
        Noun          = $Command.Noun
        Parameters    = $parameters
        ParameterSets = @($sets | Sort-Object { -not $_.IsDefault })
        OutputTypes   = @($Command.OutputType | ForEach-Object { if ($_.Type) { $_.Type.FullName } else { $_.Name } } | Select-Object -Unique)
    }
}

function Get-HelpTypeName {
    param([type] $Type)
    $element = if ($Type.IsArray) { $Type.GetElementType() } else { $Type }
    $suffix = if ($Type.IsArray) { '[]' } else { '' }
    $short = @{ 'System.String' = 'String'; 'System.Int32' = 'Int32'; 'System.Boolean' = 'Boolean'
        'System.Management.Automation.SwitchParameter' = 'SwitchParameter' 
    }
    $name = if ($short.ContainsKey($element.FullName)) { $short[$element.FullName] } else { $element.Name }
    $name + $suffix
}

function Test-HelpDocument {
    <#
    .SYNOPSIS
        Lists what the help of one cmdlet lacks, compared with the real cmdlet. Empty when complete.
    .PARAMETER Document
        The parsed markdown (ConvertFrom-HelpMarkdown); $null when the file is missing.
    .PARAMETER Metadata
        Get-CommandHelpMetadata of the exported cmdlet.
    #>
    param($Document, [Parameter(Mandatory)] $Metadata)
    $name = $Metadata.Name
    if ($null -eq $Document) { return "${name}: no help file docs/en-US/$name.md" }
    if ([string]::IsNullOrWhiteSpace($Document.Synopsis)) { "${name}: no SYNOPSIS" }
    if (@($Document.Description).Count -eq 0) { "${name}: no DESCRIPTION" }
    if (@($Document.Examples).Count -lt 2) { "${name}: $(@($Document.Examples).Count) example(s); at least 2 are required" }
    foreach ($e in $Document.Examples) {
        if (-not $e.Code) { "${name}: example '$($e.Title)' has no code" }
        if (@($e.Remarks).Count -eq 0) { "${name}: example '$($e.Title)' has no explanation" }
    }
    if (@($Document.Inputs).Count -eq 0) { "${name}: no INPUTS" }
    if (@($Document.Outputs).Count -eq 0) { "${name}: no OUTPUTS" }
    foreach ($p in $Metadata.Parameters.Values) {
        $doc = $Document.Parameters[$p.Name]
        if ($null -eq $doc) { "${name}: parameter -$($p.Name) is not documented"; continue }
        if (@($doc.Description).Count -eq 0 -or -not ($doc.Description -join '').Trim()) { "${name}: parameter -$($p.Name) has no description" }
        foreach ($field in 'Type', 'Aliases', 'Required', 'Position', 'Default value', 'Accept pipeline input') {
            if (-not $doc.Fields.Contains($field)) { "${name}: parameter -$($p.Name) lacks '${field}:' in its yaml block" }
        }
        if ($doc.Fields.Contains('Aliases')) {
            $documented = @(Split-HelpList $doc.Fields['Aliases'])
            $actual = @($p.Aliases)
            if ((@($documented | Sort-Object) -join '|') -ne (@($actual | Sort-Object) -join '|')) {
                "${name}: parameter -$($p.Name) documents aliases '$($documented -join ', ')' but has '$($actual -join ', ')'"
            }
        }
        if ($doc.Fields.Contains('Accept pipeline input')) {
            $documented = Format-PipelineInput $doc.Fields['Accept pipeline input']
            if ($documented -ne (Format-PipelineInput $p.PipelineInput)) {
                "${name}: parameter -$($p.Name) documents pipeline input '$($doc.Fields['Accept pipeline input'])' but takes '$($p.PipelineInput)'"
            }
        }
    }
    foreach ($documented in $Document.Parameters.Keys) {
        if (-not $Metadata.Parameters.Contains($documented)) { "${name}: documents -$documented, which the cmdlet does not have" }
    }
}

function Split-HelpList {
    param([string] $Text)
    if (-not $Text -or $Text -eq 'None') { return @() }
    @($Text -split ',' | ForEach-Object Trim | Where-Object { $_ })
}

function Format-PipelineInput {
    # 'True (ByValue, ByPropertyName)' in any order and case -> one canonical form.
    param([string] $Text)
    if ($Text -notmatch '^\s*True') { return 'False' }
    $kinds = @([regex]::Matches($Text, 'By\w+') | ForEach-Object Value | Sort-Object -Unique)
    "True ($($kinds -join ', '))"
}

function Add-MamlPara {
    param([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs)
    $any = $false
    foreach ($p in @($Paragraphs)) {
        if ($null -eq $p) { continue }
        $Writer.WriteElementString('maml', 'para', $script:MamlNs, $p); $any = $true
    }
    if (-not $any) { $Writer.WriteElementString('maml', 'para', $script:MamlNs, '') }
}

$script:MamlNs = 'http://schemas.microsoft.com/maml/2004/10'
$script:CommandNs = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$script:DevNs = 'http://schemas.microsoft.com/maml/dev/2004/10'

function Write-MamlParameter {
    param([System.Xml.XmlWriter] $Writer, $Meta, $Doc, [bool] $Required, $Position)
    $w = $Writer
    $w.WriteStartElement('command', 'parameter', $script:CommandNs)
    $w.WriteAttributeString('required', $Required.ToString().ToLowerInvariant())
    $w.WriteAttributeString('variableLength', ($Meta.Type -like '*[[]]').ToString().ToLowerInvariant())
    $w.WriteAttributeString('globbing', ([bool]$Meta.Wildcards).ToString().ToLowerInvariant())
    $w.WriteAttributeString('pipelineInput', $Meta.PipelineInput)
    $pos = if ($null -eq $Position -or [int]$Position -lt 0 -or [int]$Position -eq [int]::MinValue) { 'named' } else { [string][int]$Position }
    $w.WriteAttributeString('position', $pos)
    $aliases = @($Meta.Aliases)
    $w.WriteAttributeString('aliases', $(if ($aliases.Count) { $aliases -join ', ' } else { 'none' }))
    $w.WriteElementString('maml', 'name', $script:MamlNs, $Meta.Name)
    $w.WriteStartElement('maml', 'description', $script:MamlNs)
    Add-MamlPara $w $(if ($Doc) { $Doc.Description } else { @() })
    $w.WriteEndElement()
    $values = @($Meta.ValidValues | Where-Object { $_ })
    if ($values.Count) {
        $w.WriteStartElement('command', 'parameterValueGroup', $script:CommandNs)
        foreach ($v in $values) {
            $w.WriteStartElement('command', 'parameterValue', $script:CommandNs)
            $w.WriteAttributeString('required', 'false'); $w.WriteAttributeString('variableLength', 'false')
            $w.WriteString($v); $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    if (-not $Meta.IsSwitch) {
        $w.WriteStartElement('command', 'parameterValue', $script:CommandNs)
        $w.WriteAttributeString('required', 'true')
        $w.WriteAttributeString('variableLength', ($Meta.Type -like '*[[]]').ToString().ToLowerInvariant())
        $w.WriteString($Meta.Type)
        $w.WriteEndElement()
    }
    $w.WriteStartElement('dev', 'type', $script:DevNs)
    $w.WriteElementString('maml', 'name', $script:MamlNs, $Meta.TypeFullName)
    $w.WriteElementString('maml', 'uri', $script:MamlNs, '')
    $w.WriteEndElement()
    $default = if ($Doc -and $Doc.Fields.Contains('Default value')) { $Doc.Fields['Default value'] } elseif ($Meta.IsSwitch) { 'False' } else { 'None' }
    $w.WriteElementString('dev', 'defaultValue', $script:DevNs, $default)
    $w.WriteEndElement()
}

function ConvertTo-MamlHelp {
    <#
    .SYNOPSIS
        Writes one MAML file (the *.dll-Help.xml PowerShell reads for binary cmdlets) for the given cmdlets.
    .PARAMETER Command
        Pairs of @{ Document = <ConvertFrom-HelpMarkdown>; Metadata = <Get-CommandHelpMetadata> }.
        Syntax, types, aliases and pipeline input come from the real cmdlet; words and default values from the markdown.
    #>
    param([Parameter(Mandatory)][object[]] $Command, [Parameter(Mandatory)][string] $Path)
    $settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
    $w = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $w.WriteStartDocument()
        $w.WriteStartElement('helpItems', 'http://msh')
        $w.WriteAttributeString('schema', 'maml')
        $w.WriteAttributeString('xmlns', 'maml', $null, $script:MamlNs)
        $w.WriteAttributeString('xmlns', 'command', $null, $script:CommandNs)
        $w.WriteAttributeString('xmlns', 'dev', $null, $script:DevNs)
        foreach ($c in $Command) {
            $doc = $c.Document; $meta = $c.Metadata
            $w.WriteStartElement('command', 'command', $script:CommandNs)
            $w.WriteStartElement('command', 'details', $script:CommandNs)
            $w.WriteElementString('command', 'name', $script:CommandNs, $meta.Name)
            $w.WriteElementString('command', 'verb', $script:CommandNs, $meta.Verb)
            $w.WriteElementString('command', 'noun', $script:CommandNs, $meta.Noun)
            $w.WriteStartElement('maml', 'description', $script:MamlNs); Add-MamlPara $w $doc.Synopsis; $w.WriteEndElement()
            $w.WriteEndElement() # details
            $w.WriteStartElement('maml', 'description', $script:MamlNs); Add-MamlPara $w $doc.Description; $w.WriteEndElement()

            $w.WriteStartElement('command', 'syntax', $script:CommandNs)
            foreach ($set in $meta.ParameterSets) {
                $w.WriteStartElement('command', 'syntaxItem', $script:CommandNs)
                $w.WriteElementString('maml', 'name', $script:MamlNs, $meta.Name)
                # Positional parameters first, in position order, then the rest as declared.
                $ordered = @($set.Parameters | Sort-Object @{ Expression = { if ($_.Position -ge 0) { $_.Position } else { [int]::MaxValue } } }, @{ Expression = { -not $_.Required } })
                foreach ($sp in $ordered) {
                    $pm = $meta.Parameters[$sp.Name]
                    Write-MamlParameter $w $pm $doc.Parameters[$sp.Name] ([bool]$sp.Required) $sp.Position
                }
                $w.WriteEndElement()
            }
            $w.WriteEndElement() # syntax

            $w.WriteStartElement('command', 'parameters', $script:CommandNs)
            foreach ($pm in $meta.Parameters.Values) {
                # Required/position as in the first (default) set that has the parameter.
                $sp = $meta.ParameterSets | ForEach-Object { $_.Parameters | Where-Object Name -eq $pm.Name } | Select-Object -First 1
                $required = @($meta.ParameterSets | ForEach-Object { $_.Parameters | Where-Object Name -eq $pm.Name } | Where-Object Required).Count -gt 0
                Write-MamlParameter $w $pm $doc.Parameters[$pm.Name] $required $sp.Position
            }
            $w.WriteEndElement()

            foreach ($kind in @(@('inputTypes', 'inputType', $doc.Inputs), @('returnValues', 'returnValue', $doc.Outputs))) {
                $w.WriteStartElement('command', $kind[0], $script:CommandNs)
                foreach ($entry in @($kind[2])) {
                    $w.WriteStartElement('command', $kind[1], $script:CommandNs)
                    $w.WriteStartElement('dev', 'type', $script:DevNs)
                    $w.WriteElementString('maml', 'name', $script:MamlNs, $entry.Type)
                    $w.WriteEndElement()
                    $w.WriteStartElement('maml', 'description', $script:MamlNs); Add-MamlPara $w $entry.Description; $w.WriteEndElement()
                    $w.WriteEndElement()
                }
                $w.WriteEndElement()
            }

            $w.WriteStartElement('maml', 'alertSet', $script:MamlNs)
            $w.WriteStartElement('maml', 'alert', $script:MamlNs); Add-MamlPara $w $doc.Notes; $w.WriteEndElement()
            $w.WriteEndElement()

            $w.WriteStartElement('command', 'examples', $script:CommandNs)
            $n = 0
            foreach ($e in $doc.Examples) {
                $n++
                $w.WriteStartElement('command', 'example', $script:CommandNs)
                $title = $e.Title -replace '^Example\s+\d+\s*[:.-]?\s*', ''
                $w.WriteElementString('maml', 'title', $script:MamlNs, "--------- Example ${n}: $title ---------")
                $w.WriteElementString('dev', 'code', $script:DevNs, $e.Code)
                # A trailing empty paragraph: Get-Help then leaves a blank line before the next example.
                $w.WriteStartElement('dev', 'remarks', $script:DevNs); Add-MamlPara $w (@($e.Remarks) + ''); $w.WriteEndElement()
                $w.WriteEndElement()
            }
            $w.WriteEndElement()

            $w.WriteStartElement('command', 'relatedLinks', $script:CommandNs)
            foreach ($l in $doc.Links) {
                $w.WriteStartElement('maml', 'navigationLink', $script:MamlNs)
                $w.WriteElementString('maml', 'linkText', $script:MamlNs, $l.Text)
                $w.WriteElementString('maml', 'uri', $script:MamlNs, $l.Uri)
                $w.WriteEndElement()
            }
            $w.WriteEndElement()
            $w.WriteEndElement() # command
        }
        $w.WriteEndElement()
        $w.WriteEndDocument()
    }
    finally { $w.Dispose() }
}

function ConvertTo-AboutHelpText {
    <#
    .SYNOPSIS
        docs/en-US/about_X.md -> the text of about_X.help.txt: TOPIC, then one upper-case heading per '##' section,
        paragraphs wrapped at 80 columns and indented by four spaces, code and tables kept as written.
    #>
    param([Parameter(Mandatory)][string] $Path)
    $lines = @(Get-Content -LiteralPath $Path -Encoding utf8)
    $out = [System.Collections.Generic.List[string]]::new()
    $name = $null
    $paragraph = [System.Collections.Generic.List[string]]::new()
    $inCode = $false
    $indent = '    '
    $flush = {
        if ($paragraph.Count -eq 0) { return }
        $text = ConvertFrom-InlineMarkdown (($paragraph | ForEach-Object Trim) -join ' ')
        $bullet = $text -match '^([-*]|\d+\.)\s+'
        $first = $indent; $rest = $indent
        if ($bullet) { $lead = ([regex]::Match($text, '^([-*]|\d+\.)\s+')).Value; $first = $indent; $rest = $indent + (' ' * $lead.Length); $text = $text -replace '^\*\s+', '- ' }
        $lineText = $first
        foreach ($word in $text -split ' ') {
            if ($lineText.Length + $word.Length + 1 -gt 80 -and $lineText.Trim()) { $out.Add($lineText.TrimEnd()); $lineText = $rest }
            $lineText += ($(if ($lineText.Trim()) { ' ' } else { '' })) + $word
        }
        if ($lineText.Trim()) { $out.Add($lineText.TrimEnd()) }
        $paragraph.Clear()
    }
    foreach ($line in $lines) {
        if ($line -match '^\s*```') { & $flush; $inCode = -not $inCode; continue }
        if ($inCode) { $out.Add("$indent    $line".TrimEnd()); continue }
        if ($line -match '^# (?<n>about_\S+)') { $name = $Matches.n; $out.Add('TOPIC'); $out.Add("$indent$name"); continue }
        if ($line -match '^##+ (?<h>.+)$') {
            & $flush
            if ($out.Count -and $out[$out.Count - 1] -ne '') { $out.Add('') }
            $level = ($line -split ' ')[0].Length
            $h = $Matches.h.Trim()
            if ($level -eq 2) { $out.Add($h.ToUpperInvariant()) } else { $out.Add("$indent$h"); $out.Add("$indent" + ('-' * $h.Length)) }
            continue
        }
        if ($line.Trim() -eq '') { & $flush; if ($out.Count -and $out[$out.Count - 1] -ne '') { $out.Add('') }; continue }
        if ($line -match '^\s*\|') {
            & $flush
            if ($line -match '^\s*\|[\s:|-]+\|\s*$') { $out.Add($indent + (($line.Trim() -replace '[^|]', '-') -replace '\|', '+')); continue }
            $out.Add($indent + (ConvertFrom-InlineMarkdown $line.Trim())); continue
        }
        if ($line -match '^\s*([-*]|\d+\.)\s+') { & $flush }
        $paragraph.Add($line)
    }
    & $flush
    if (-not $name) { throw "${Path}: no '# about_<Name>' heading." }
    while ($out.Count -and $out[$out.Count - 1] -eq '') { $out.RemoveAt($out.Count - 1) }
    ($out -join [Environment]::NewLine) + [Environment]::NewLine
}
