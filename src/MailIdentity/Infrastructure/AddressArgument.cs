using System.Net;

namespace MailIdentity.Commands;

/// <summary>
/// An IP address or host name exactly as the user or the pipeline gave it, checked later by the cmdlet
/// (so a bad value becomes an error that names it, and the pipeline goes on).
/// </summary>
/// <remarks>
/// Why not a plain string parameter: PowerShell binds pipeline input by value with type conversion before it
/// tries property names, and any object converts to string through ToString. A Get-PtrRecord result piped
/// into Test-ForwardConfirmedRdns would then arrive as its host names. This type converts only from a string
/// or an IPAddress, so other objects fall through to binding by property name (their IPAddress property).
/// </remarks>
public sealed class AddressArgument
{
    /// <summary>Takes the text as given; it is validated by the cmdlet.</summary>
    public AddressArgument(string text) => Text = text ?? string.Empty;

    /// <summary>Takes an address object (e.g. the IPAddress property of a result).</summary>
    public AddressArgument(IPAddress address) => Text = address?.ToString() ?? string.Empty;

    /// <summary>The value as given.</summary>
    public string Text { get; }

    public override string ToString() => Text;
}
