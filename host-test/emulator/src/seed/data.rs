//! Tables the realistic seed draws from: the types of the culture tables, email domains,
//! companies, job titles, notes and the account's lists, custom fields and tags.

/// A name as displayed, and its ASCII form for email addresses.
pub type Name = (&'static str, &'static str);

/// A city with its region, country and postal code pattern (`#` is a digit).
pub struct Place {
    pub city: &'static str,
    pub state: &'static str,
    pub country: &'static str,
    pub postal: &'static str,
}

/// People, places and formats that belong together.
pub struct Culture {
    pub first: &'static [Name],
    pub last: &'static [Name],
    pub places: &'static [Place],
    /// Street patterns; `#` is a digit.
    pub streets: &'static [&'static str],
    /// Phone number patterns; `#` is a digit.
    pub phones: &'static [&'static str],
    /// The value of the "Preferred Language" custom field.
    pub language: &'static str,
}

/// Domains for email addresses; all reserved for examples, none deliverable.
pub const DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "example.net",
    "mail.example",
    "northwind.example",
    "contoso.example",
    "fabrikam.example",
    "tailspin.example",
];

pub const COMPANIES: &[&str] = &[
    "Northwind Traders",
    "Contoso Ltd.",
    "Fabrikam, Inc.",
    "Tailspin Toys",
    "Wide World Importers",
    "Alpine Ski House",
    "Coho Winery",
    "Adventure Works",
    "Lucerne Publishing",
    "Margie's Travel",
    "Fourth Coffee",
    "Woodgrove Bank",
    "Trey Research",
    "Bäckerei Sonnenschein",
    "Café Lumière",
    "さくらデザイン株式会社",
    "Nordlys Studio",
    "Złota Rybka Studio",
    "Hải Âu Logistics",
    "Casa Olivar S.L.",
];

pub const JOB_TITLES: &[&str] = &[
    "Marketing Manager",
    "Software Engineer",
    "Owner",
    "Office Manager",
    "Sales Director",
    "Head of Partnerships",
    "Data Analyst",
    "Event Coordinator",
    "Chief Executive Officer",
    "Nurse Practitioner",
    "Teacher",
    "Architect",
    "Accountant",
    "Graphic Designer",
    "Product Manager",
    "Operations Lead",
    "Consultant",
    "Founder & CEO",
];

pub const NOTES: &[&str] = &[
    "Met at the spring trade show; interested in the premium plan.",
    "Asked to be contacted again after the third quarter.",
    "Prefers phone calls in the morning.",
    "Referred by an existing customer.",
    "Requested a product demo for their team of 12.",
    "Had a billing question in March; resolved.",
];

pub const OPT_OUT_REASONS: &[&str] = &[
    "I receive too many emails",
    "The content is not relevant to me",
    "I never signed up for this list",
];

/// The seeded lists with their descriptions.
pub const LISTS: &[(&str, &str)] = &[
    ("Newsletter", "Monthly newsletter subscribers"),
    ("Customers", "Everyone who bought at least once"),
    ("Prospects", "Leads from forms and events"),
    ("Events 2026", "Registrants of this year's events"),
    ("VIP", "Top customers by lifetime value"),
    ("Partners", "Resellers and agencies"),
];

/// The seeded custom fields: label and API type.
pub const CUSTOM_FIELDS: &[(&str, &str)] = &[
    ("Tier", "string"),
    ("Customer Since", "date"),
    ("Lifetime Value", "currency"),
    ("Preferred Language", "string"),
];

pub const TIERS: &[&str] = &["Bronze", "Silver", "Gold", "Platinum"];

pub const TAGS: &[&str] = &[
    "Webinar Attendee",
    "Trade Show 2026",
    "Referral",
    "Beta Tester",
    "High Value",
];
