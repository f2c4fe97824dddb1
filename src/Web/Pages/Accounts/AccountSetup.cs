using AgentRooms.Web.Infrastructure;
using AgentRooms.Data;
using AgentRooms.Data.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace AgentRooms.Web.Pages.Accounts;

public static class AccountSetup
{
    public static readonly TimeSpan CookieLifetime = TimeSpan.FromDays(14);

    public static void AddAccounts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        services.AddIdentityCore<User>(options =>
            {
                options.User.RequireUniqueEmail = true;
                // Length over composition rules (NIST SP 800-63B).
                options.Password.RequiredLength = 8;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                // Wrong passwords pause sign-in per account and client (SignInFailures), never the account itself.
            })
            .AddSignInManager()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddClaimsPrincipalFactory<DisplayNameClaimsFactory>()
            .AddDefaultTokenProviders();

        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "agentrooms";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = Paths.SignIn;
            cookie.LogoutPath = Paths.SignOut;
            cookie.AccessDeniedPath = Paths.SignIn;
            cookie.ExpireTimeSpan = CookieLifetime;
            cookie.SlidingExpiration = true;
            var identityChecks = cookie.Events.OnValidatePrincipal;
            cookie.Events.OnValidatePrincipal = context => Sessions.Validate(context, identityChecks);
            cookie.Events.OnSigningIn = Sessions.OnSigningIn;
        });
        services.AddSingleton<SignInFailures>();
        services.AddScoped<PasswordResets>();
        services.AddScoped<AccountSessions>();
        services.AddScoped<Confirmations>();
        // Reset links work for an hour (and once: using one changes the security stamp they are made with).
        services.Configure<DataProtectionTokenProviderOptions>(options => options.TokenLifespan = PasswordResets.Lifetime);
        services.Configure<SecurityStampValidatorOptions>(options =>
        {
            options.OnRefreshingPrincipal = Sessions.KeepOnRefresh;
            // A change of role (made or unmade site administrator) reaches the person's cookie within a minute.
            options.ValidationInterval = TimeSpan.FromMinutes(1);
        });

        // Every page needs a signed-in user unless it says [AllowAnonymous].
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        // Keys live in the database so a restart, or another node, keeps people signed in.
        services.AddDataProtection()
            .SetApplicationName("AgentRooms")
            .PersistKeysToDbContext<AppDbContext>();
    }
}
