using System;
using System.Management.Automation;
using MailIdentity.Dns;

namespace MailIdentity.Commands.Infrastructure;

/// <summary>The module's ErrorRecords: stable ErrorIds, fitting categories, the input as TargetObject.</summary>
internal static class Errors
{
    public const string InvalidIPAddress = "InvalidIPAddress";
    public const string InvalidDnsServer = "InvalidDnsServer";
    public const string UnexpectedError = "UnexpectedError";

    public static ErrorRecord NotAnIPAddress(object? input) =>
        new(new ArgumentException($"'{Describe(input)}' is not an IP address. Give an IPv4 address such as 192.0.2.25 or an IPv6 address such as 2001:db8::25."),
            InvalidIPAddress, ErrorCategory.InvalidArgument, input);

    public static ErrorRecord Unexpected(Exception ex, object? target) =>
        new(ex, UnexpectedError, ErrorCategory.NotSpecified, target)
        {
            ErrorDetails = new ErrorDetails($"Checking '{Describe(target)}' failed unexpectedly: {ex.Message}"),
        };

    /// <summary>A DNS lookup that failed (timeout, SERVFAIL, REFUSED): a non-terminating error per input.</summary>
    public static ErrorRecord DnsFailure(DnsAnswer answer, object? target)
    {
        var (id, category) = answer.Status switch
        {
            DnsLookupStatus.Timeout => ("DnsTimeout", ErrorCategory.OperationTimeout),
            DnsLookupStatus.ServerFailure => ("DnsServerFailure", ErrorCategory.ResourceUnavailable),
            DnsLookupStatus.Refused => ("DnsRefused", ErrorCategory.PermissionDenied),
            _ => ("DnsError", ErrorCategory.ConnectionError),
        };
        var message = answer.ErrorMessage ?? $"The DNS lookup of {answer.Question} {answer.Type} failed: {answer.Status}.";
        return new ErrorRecord(new InvalidOperationException(message), id, category, target);
    }

    /// <summary>Shows the input in an error message without letting it run on for pages.</summary>
    public static string Describe(object? input)
    {
        // PSObject.ToString shows a custom object as @{IP=...}; its BaseObject's ToString would be empty.
        var text = input?.ToString();
        text ??= "(null)";
        text = Text.DisplayText.Escape(text);
        return text.Length > 120 ? text.Substring(0, 117) + "..." : text;
    }
}
