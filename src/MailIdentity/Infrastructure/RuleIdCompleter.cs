using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using MailIdentity.Rules;

namespace MailIdentity.Commands;

/// <summary>Tab completion of rule ids (and names) for -ExcludeRule and Get-MailIdentityRule -Id.</summary>
public sealed class RuleIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var pattern = WildcardPattern.Get(word + "*", WildcardOptions.IgnoreCase);
        return RuleCatalog.All
            .Where(r => pattern.IsMatch(r.Id) || pattern.IsMatch(r.Name))
            .Select(r => new CompletionResult(r.Id, $"{r.Id} {r.Name}", CompletionResultType.ParameterValue, $"{r.Name} ({r.DefaultSeverity}): {r.Description}"));
    }
}
