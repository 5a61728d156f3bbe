using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace MailIdentity.Rules;

/// <summary>
/// A read-only list whose ToString joins its items with "; ". Export-Csv and string interpolation call
/// ToString on a property value, so a column of names reads "a; b" instead of "System.String[]".
/// </summary>
public sealed class TextList<T> : ReadOnlyCollection<T>
{
    public TextList(IList<T> items)
        : base(items)
    {
    }

    public override string ToString() => string.Join("; ", this);
}
