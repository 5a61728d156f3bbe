using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace MailIdentity.Smtp;

/// <summary>
/// Reads one multi-line SMTP reply (RFC 5321 section 4.2) from bytes that arrive in pieces: "ddd-" lines
/// continue, the "ddd " (or bare "ddd") line ends it, every line carries the same code. Line ends may be
/// CRLF or a bare LF. Every limit of <see cref="SmtpReplyLimits"/> is enforced while feeding, so memory
/// stays bounded whatever the server sends. Never throws on any bytes.
/// </summary>
public sealed class SmtpReplyParser
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private readonly SmtpReplyLimits _limits;
    private readonly List<string> _lines = new();
    private readonly MemoryStream _raw = new();
    private readonly MemoryStream _line = new();
    private int? _code;
    private bool _bareLineFeeds;

    /// <summary>Starts an empty reply.</summary>
    public SmtpReplyParser(SmtpReplyLimits? limits = null)
    {
        _limits = limits ?? SmtpReplyLimits.Default;
    }

    /// <summary>Incomplete while more bytes are needed; None when complete; any other value when it failed.</summary>
    public SmtpReplyProblem Problem { get; private set; } = SmtpReplyProblem.Incomplete;

    /// <summary>True once the reply is complete or has failed: feeding more bytes does nothing.</summary>
    public bool IsDone => Problem != SmtpReplyProblem.Incomplete;

    /// <summary>
    /// Consumes bytes up to the end of the reply (or the point where it failed) and returns how many it
    /// took; bytes after the reply's final line are left for the caller.
    /// </summary>
    public int Feed(byte[] buffer, int offset, int count)
    {
        if (buffer is null || offset < 0 || count < 0 || offset > buffer.Length || count > buffer.Length - offset)
        {
            return 0;
        }

        var consumed = 0;
        while (consumed < count && !IsDone)
        {
            var b = buffer[offset + consumed];
            if (_raw.Length >= _limits.MaxTotalBytes)
            {
                Problem = SmtpReplyProblem.TooLarge;
                break;
            }

            consumed++;
            _raw.WriteByte(b);
            if (b == (byte)'\n')
            {
                EndLine();
                continue;
            }

            // A CR is kept until the line ends: only a CR right before the LF is part of the line end.
            if (_line.Length >= _limits.MaxLineLength + 1)
            {
                Problem = SmtpReplyProblem.LineTooLong;
                break;
            }

            _line.WriteByte(b);
        }

        return consumed;
    }

    /// <summary>The reply so far: complete, failed, or (when the bytes ended early) Incomplete.</summary>
    public SmtpReply ToReply()
    {
        string? trailing = null;
        if (_line.Length > 0)
        {
            var length = (int)Math.Min(_line.Length, _limits.MaxLineLength);
            trailing = Utf8.GetString(_line.GetBuffer(), 0, length);
        }

        return new SmtpReply(_code, _lines.ToArray(), trailing, _raw.ToArray(), Problem, _bareLineFeeds);
    }

    /// <summary>Parses one reply from <paramref name="bytes"/>; never throws.</summary>
    public static SmtpReply Parse(byte[]? bytes, SmtpReplyLimits? limits = null)
    {
        var parser = new SmtpReplyParser(limits);
        if (bytes is not null)
        {
            parser.Feed(bytes, 0, bytes.Length);
        }

        return parser.ToReply();
    }

    private void EndLine()
    {
        var length = (int)_line.Length;
        var data = _line.GetBuffer();
        if (length > 0 && data[length - 1] == (byte)'\r')
        {
            length--;
        }
        else
        {
            _bareLineFeeds = true;
        }

        if (length > _limits.MaxLineLength)
        {
            Problem = SmtpReplyProblem.LineTooLong;
            return;
        }

        var line = Utf8.GetString(data, 0, length);
        _line.SetLength(0);
        if (!TryReadCode(line, out var code, out var last))
        {
            _lines.Add(line);
            Problem = SmtpReplyProblem.Malformed;
            return;
        }

        _code ??= code;
        _lines.Add(line);
        if (code != _code)
        {
            Problem = SmtpReplyProblem.MixedCodes;
        }
        else if (last)
        {
            Problem = SmtpReplyProblem.None;
        }
        else if (_lines.Count >= _limits.MaxLines)
        {
            Problem = SmtpReplyProblem.TooManyLines;
        }
    }

    /// <summary>"ddd", "ddd text" (last line) or "ddd-text" (more follow); the first digit 2 to 5.</summary>
    private static bool TryReadCode(string line, out int code, out bool last)
    {
        code = 0;
        last = false;
        if (line.Length < 3 || line[0] < '2' || line[0] > '5' || !IsDigit(line[1]) || !IsDigit(line[2]))
        {
            return false;
        }

        code = ((line[0] - '0') * 100) + ((line[1] - '0') * 10) + (line[2] - '0');
        if (line.Length == 3 || line[3] == ' ')
        {
            last = true;
            return true;
        }

        return line[3] == '-';
    }

    private static bool IsDigit(char c) => c >= '0' && c <= '9';
}
