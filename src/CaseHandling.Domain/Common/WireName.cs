using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace CaseHandling.Domain.Common;

/// <summary>
/// The name an enum value has outside the code: in the database, in the API's JSON and on the timeline. Usually its
/// C# name; where the code was renamed to one name per concept (the law's "overleg"), the stored and published name
/// stays as it was, given by <see cref="JsonStringEnumMemberNameAttribute"/> on the member.
/// </summary>
public static class WireName
{
    private static readonly ConcurrentDictionary<(Type, string), string> Names = new();
    private static readonly ConcurrentDictionary<(Type, string), object> Values = new();

    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum
    {
        var code = value.ToString();
        return Names.GetOrAdd((typeof(TEnum), code), static k =>
            k.Item1.GetField(k.Item2, BindingFlags.Public | BindingFlags.Static)?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? k.Item2);
    }

    public static TEnum Parse<TEnum>(string wire) where TEnum : struct, Enum =>
        (TEnum)Values.GetOrAdd((typeof(TEnum), wire), static k =>
            k.Item1.GetFields(BindingFlags.Public | BindingFlags.Static)
                .FirstOrDefault(f => (f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name) == k.Item2)?.GetValue(null)
            ?? Enum.Parse(k.Item1, k.Item2));
}
