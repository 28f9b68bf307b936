using System.Text;

namespace ModelPerformance.Grains.Interfaces;

/// <summary>The contract's spelling of an enum value (<c>AutoIfBetter</c> is <c>AUTO_IF_BETTER</c>), for messages and storage.</summary>
public static class Names
{
    public static string Of<T>(T value) where T : struct, Enum => Screaming(value.ToString());

    public static T Parse<T>(string name) where T : struct, Enum =>
        Enum.Parse<T>(name.Replace("_", ""), ignoreCase: true);

    private static string Screaming(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            // A word starts at a capital after a lower-case letter, or at the last capital of a run
            // followed by a lower-case letter: RSquared is R_SQUARED, AbTest is AB_TEST.
            var startsWord = i > 0 && char.IsUpper(pascal[i])
                && (!char.IsUpper(pascal[i - 1]) || (i + 1 < pascal.Length && char.IsLower(pascal[i + 1])));
            if (startsWord)
            {
                builder.Append('_');
            }
            builder.Append(char.ToUpperInvariant(pascal[i]));
        }
        return builder.ToString();
    }
}
