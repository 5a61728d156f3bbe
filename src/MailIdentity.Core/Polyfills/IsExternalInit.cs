namespace System.Runtime.CompilerServices
{
    // netstandard2.0 lacks this marker type that C# 9 init accessors need.
    internal static class IsExternalInit
    {
    }
}
