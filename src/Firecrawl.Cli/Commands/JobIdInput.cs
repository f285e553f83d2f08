using System.CommandLine;

namespace Firecrawl.Cli;

/// <summary>Where a cancel's ids come from: the arguments, <c>--from-file</c> (or stdin), or <c>--all-active</c>.</summary>
internal static class JobIdInput
{
    /// <summary>The ids from the arguments and the file, in order, or what is wrong with the command line.</summary>
    public static async Task<(List<string>? Ids, string? Problem)> ReadAsync(string[] arguments, string? fromFile, bool allActive, TextReader stdin, Command command)
    {
        // The id list takes any token, so an option this command does not have lands in it; no id starts with '-'.
        if (arguments.FirstOrDefault(static a => a.Length > 1 && a.StartsWith('-')) is { } option)
        {
            return (null, FirecrawlCli.UnknownOption(option.Split('=', ':')[0], command));
        }

        if (allActive)
        {
            return arguments.Length > 0 || fromFile is not null
                ? (null, "--all-active takes no ids: it cancels every active crawl of the team; drop the ids or --from-file.")
                : ([], null);
        }

        var ids = new List<string>(arguments);
        if (fromFile is not null)
        {
            try
            {
                TextReader reader = fromFile == "-" ? stdin : new StreamReader(fromFile);
                using (fromFile == "-" ? null : reader)
                {
                    // ReadLineAsync on a file reader: a file of 100,000 ids is read line by line.
                    while (await reader!.ReadLineAsync().ConfigureAwait(false) is { } line)
                    {
                        string id = line.Trim();
                        if (id.Length > 0 && !id.StartsWith('#'))
                        {
                            ids.Add(id);
                        }
                    }
                }
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                return (null, $"--from-file {InputText.Quote(fromFile, 200)} cannot be read: {Reason(error)}.");
            }
        }

        return ids.Count == 0
            ? (null, "No job ids given: pass them as arguments, with --from-file, or (for crawls) use --all-active.")
            : (ids, null);
    }

    /// <summary>Why a file cannot be read, in a few words rather than the runtime's sentence (which repeats the path).</summary>
    private static string Reason(Exception error) => error switch
    {
        FileNotFoundException => "there is no such file",
        DirectoryNotFoundException => "its folder does not exist",
        UnauthorizedAccessException => "this user may not read it (or it is a folder)",
        PathTooLongException => "the path is too long",
        _ => TerminalText.Clean(error.GetType().Name),
    };
}
