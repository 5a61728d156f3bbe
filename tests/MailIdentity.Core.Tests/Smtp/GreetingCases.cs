using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Globalization;
using System.Text;

namespace MailIdentity.Core.Tests.Smtp;

/// <summary>The rows of tests/cases/greetings.tsv: real greeting shapes with the host and code they carry.</summary>
public static class GreetingCases
{
    public static string FindRepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }

    /// <summary>id, greeting (printf escapes), expected host ("" none, *masked*), expected code.</summary>
    public static IEnumerable<object[]> Rows()
    {
        foreach (var line in File.ReadAllLines(FindRepositoryFile(Path.Combine("tests", "cases", "greetings.tsv"))))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var cells = line.Split('\t');
            var host = cells[2] == "\"\"" ? "" : cells[2];
            yield return new object[] { cells[0], cells[1], host, int.Parse(cells[3], CultureInfo.InvariantCulture) };
        }
    }

    /// <summary>printf escapes as used in the TSV: \r \n \t \e \\ \xNN.</summary>
    public static byte[] Unescape(string text)
    {
        var bytes = new List<byte>();
        var plain = new StringBuilder();
        void Flush()
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(plain.ToString()));
            plain.Clear();
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                byte? b = text[i + 1] switch { 'r' => 13, 'n' => 10, 't' => 9, 'e' => 27, '\\' => 92, _ => null };
                if (b is not null)
                {
                    Flush();
                    bytes.Add(b.Value);
                    i++;
                    continue;
                }

                if (text[i + 1] == 'x' && i + 3 < text.Length)
                {
                    Flush();
                    bytes.Add(byte.Parse(text.AsSpan(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 3;
                    continue;
                }
            }

            plain.Append(text[i]);
        }

        Flush();
        return bytes.ToArray();
    }
}
