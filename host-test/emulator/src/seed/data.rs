//! Tables the realistic seed draws from: names from several cultures (with the ASCII forms
//! used in email addresses), places, phone formats, companies, job titles and notes.

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

const fn place(
    city: &'static str,
    state: &'static str,
    country: &'static str,
    postal: &'static str,
) -> Place {
    Place {
        city,
        state,
        country,
        postal,
    }
}

pub const CULTURES: &[Culture] = &[
    Culture {
        first: &[
            ("James", "james"),
            ("Olivia", "olivia"),
            ("Michael", "michael"),
            ("Emma", "emma"),
            ("William", "william"),
            ("Grace", "grace"),
            ("Daniel", "daniel"),
            ("Charlotte", "charlotte"),
            ("Ethan", "ethan"),
            ("Madison", "madison"),
        ],
        last: &[
            ("Smith", "smith"),
            ("Johnson", "johnson"),
            ("O'Brien", "obrien"),
            ("Taylor", "taylor"),
            ("Walker", "walker"),
            ("Clarke", "clarke"),
            ("Harris", "harris"),
            ("Wright", "wright"),
            ("McAllister", "mcallister"),
        ],
        places: &[
            place("Chicago", "Illinois", "United States", "606##"),
            place("Austin", "Texas", "United States", "787##"),
            place("Boston", "Massachusetts", "United States", "021##"),
            place("Portland", "Oregon", "United States", "972##"),
            place("Toronto", "Ontario", "Canada", "M5V #T#"),
            place(
                "Manchester",
                "Greater Manchester",
                "United Kingdom",
                "M# #AB",
            ),
        ],
        streets: &[
            "### Maple Street",
            "#### Oak Avenue",
            "## Elm Road, Apt #",
            "### Lakeshore Drive",
            "# Harbour Lane",
        ],
        phones: &[
            "+1-555-555-01##",
            "(555) 555-01##",
            "555.555.01##",
            "+44 20 7946 0###",
        ],
        language: "English",
    },
    Culture {
        first: &[
            ("José", "jose"),
            ("María", "maria"),
            ("Lucía", "lucia"),
            ("Javier", "javier"),
            ("Sofía", "sofia"),
            ("Álvaro", "alvaro"),
            ("Carmen", "carmen"),
            ("Iñigo", "inigo"),
        ],
        last: &[
            ("García", "garcia"),
            ("Martínez", "martinez"),
            ("Rodríguez", "rodriguez"),
            ("López", "lopez"),
            ("Hernández", "hernandez"),
            ("Núñez", "nunez"),
            ("Sánchez", "sanchez"),
        ],
        places: &[
            place("Madrid", "Comunidad de Madrid", "Spain", "280##"),
            place("Sevilla", "Andalucía", "Spain", "410##"),
            place("Ciudad de México", "CDMX", "Mexico", "06###"),
        ],
        streets: &[
            "Calle de Alcalá ##",
            "Avenida de la Constitución ###",
            "Calle Mayor #, #º",
        ],
        phones: &["+34 91 ### ## ##", "+34 6## ### ###", "+52 55 #### ####"],
        language: "Español",
    },
    Culture {
        first: &[
            ("Jürgen", "juergen"),
            ("Zoë", "zoe"),
            ("Lena", "lena"),
            ("Matthias", "matthias"),
            ("Björn", "bjoern"),
            ("Käthe", "kaethe"),
            ("Anja", "anja"),
        ],
        last: &[
            ("Müller", "mueller"),
            ("Schröder", "schroeder"),
            ("Weiß", "weiss"),
            ("Fischer", "fischer"),
            ("Becker", "becker"),
            ("Köhler", "koehler"),
        ],
        places: &[
            place("München", "Bayern", "Germany", "80###"),
            place("Berlin", "Berlin", "Germany", "10###"),
            place("Wien", "Wien", "Austria", "1###"),
            place("Zürich", "Zürich", "Switzerland", "80##"),
        ],
        streets: &[
            "Hauptstraße ##",
            "Bahnhofstraße ##a",
            "Lindenweg #",
            "Königsallee ###",
        ],
        phones: &["+49 30 9018 2###", "+49 151 #### ####", "+43 1 ### ####"],
        language: "Deutsch",
    },
    Culture {
        first: &[
            ("Amélie", "amelie"),
            ("François", "francois"),
            ("Léa", "lea"),
            ("Hélène", "helene"),
            ("Théo", "theo"),
            ("Chloé", "chloe"),
            ("Noël", "noel"),
        ],
        last: &[
            ("Dubois", "dubois"),
            ("Lefèvre", "lefevre"),
            ("Moreau", "moreau"),
            ("Girard", "girard"),
            ("Rousseau", "rousseau"),
            ("Bérenger", "berenger"),
        ],
        places: &[
            place("Lyon", "Auvergne-Rhône-Alpes", "France", "6900#"),
            place("Paris", "Île-de-France", "France", "750##"),
            place("Montréal", "Québec", "Canada", "H2X #Y#"),
        ],
        streets: &[
            "## rue Victor Hugo",
            "### boulevard Saint-Germain",
            "# place de la République",
        ],
        phones: &["+33 1 99 00 ## ##", "+33 6 ## ## ## ##", "+1 514-555-01##"],
        language: "Français",
    },
    Culture {
        first: &[
            ("Łukasz", "lukasz"),
            ("Małgorzata", "malgorzata"),
            ("Zofia", "zofia"),
            ("Krzysztof", "krzysztof"),
            ("Agnieszka", "agnieszka"),
            ("Paweł", "pawel"),
        ],
        last: &[
            ("Nowak", "nowak"),
            ("Kowalski", "kowalski"),
            ("Wiśniewska", "wisniewska"),
            ("Wójcik", "wojcik"),
            ("Kamiński", "kaminski"),
            ("Zieliński", "zielinski"),
        ],
        places: &[
            place("Kraków", "Małopolskie", "Poland", "3#-###"),
            place("Warszawa", "Mazowieckie", "Poland", "0#-###"),
            place("Gdańsk", "Pomorskie", "Poland", "80-###"),
        ],
        streets: &[
            "ul. Floriańska ##",
            "ul. Marszałkowska ###/#",
            "al. Jerozolimskie ##",
        ],
        phones: &["+48 22 ### ## ##", "+48 6## ### ###"],
        language: "Polski",
    },
    Culture {
        first: &[
            ("Søren", "soren"),
            ("Åsa", "asa"),
            ("Ingrid", "ingrid"),
            ("Lars", "lars"),
            ("Freja", "freja"),
            ("Mikkel", "mikkel"),
            ("Sigrún", "sigrun"),
        ],
        last: &[
            ("Jørgensen", "jorgensen"),
            ("Lindqvist", "lindqvist"),
            ("Andersson", "andersson"),
            ("Håkansson", "hakansson"),
            ("Nilsen", "nilsen"),
            ("Østergaard", "ostergaard"),
        ],
        places: &[
            place("København", "Hovedstaden", "Denmark", "1###"),
            place("Göteborg", "Västra Götaland", "Sweden", "41# ##"),
            place("Oslo", "Oslo", "Norway", "0###"),
        ],
        streets: &["Nørregade ##", "Storgatan ##", "Karl Johans gate ##"],
        phones: &["+45 ## ## ## ##", "+46 8 ### ### ##", "+47 ### ## ###"],
        language: "Dansk",
    },
    Culture {
        first: &[
            ("結衣", "yui"),
            ("翔太", "shota"),
            ("陽菜", "hina"),
            ("健", "ken"),
            ("さくら", "sakura"),
            ("大輝", "daiki"),
        ],
        last: &[
            ("田中", "tanaka"),
            ("佐藤", "sato"),
            ("鈴木", "suzuki"),
            ("高橋", "takahashi"),
            ("渡辺", "watanabe"),
        ],
        places: &[
            place("東京", "東京都", "Japan", "1##-####"),
            place("大阪", "大阪府", "Japan", "5##-####"),
            place("Sapporo", "Hokkaido", "Japan", "06#-####"),
        ],
        streets: &["千代田区丸の内#-#-#", "中央区銀座#丁目##-#", "Kita-ku ##-#"],
        phones: &["+81 3-####-####", "+81 90-####-####", "03-####-####"],
        language: "日本語",
    },
    Culture {
        first: &[
            ("Minh", "minh"),
            ("Linh", "linh"),
            ("Thảo", "thao"),
            ("Đức", "duc"),
            ("Hương", "huong"),
            ("Quang", "quang"),
        ],
        last: &[
            ("Nguyễn", "nguyen"),
            ("Trần", "tran"),
            ("Lê", "le"),
            ("Phạm", "pham"),
            ("Hoàng", "hoang"),
        ],
        places: &[
            place("Hà Nội", "Hà Nội", "Vietnam", "100###"),
            place("Hồ Chí Minh", "Hồ Chí Minh", "Vietnam", "700###"),
            place("San Jose", "California", "United States", "951##"),
        ],
        streets: &["## Phố Huế", "### Đường Lê Lợi", "#### Story Road"],
        phones: &["+84 24 3### ####", "+84 9# ### ####", "+1 408-555-01##"],
        language: "Tiếng Việt",
    },
    Culture {
        first: &[
            ("伟", "wei"),
            ("芳", "fang"),
            ("静", "jing"),
            ("磊", "lei"),
            ("秀英", "xiuying"),
            ("Mei", "mei"),
        ],
        last: &[
            ("王", "wang"),
            ("李", "li"),
            ("张", "zhang"),
            ("刘", "liu"),
            ("陈", "chen"),
        ],
        places: &[
            place("上海", "上海市", "China", "200###"),
            place("Singapore", "Singapore", "Singapore", "0#####"),
            place("Vancouver", "British Columbia", "Canada", "V6B #K#"),
        ],
        streets: &[
            "南京东路###号",
            "## Orchard Road, #-##",
            "#### Granville Street",
        ],
        phones: &["+86 21 #### ####", "+65 6### ####", "+1 604-555-01##"],
        language: "中文",
    },
    Culture {
        first: &[
            ("Priya", "priya"),
            ("Arjun", "arjun"),
            ("Ananya", "ananya"),
            ("Rohan", "rohan"),
            ("Kavya", "kavya"),
            ("Vikram", "vikram"),
        ],
        last: &[
            ("Patel", "patel"),
            ("Sharma", "sharma"),
            ("Iyer", "iyer"),
            ("Reddy", "reddy"),
            ("Gupta", "gupta"),
            ("Nair", "nair"),
        ],
        places: &[
            place("Bengaluru", "Karnataka", "India", "560###"),
            place("Mumbai", "Maharashtra", "India", "400###"),
            place("Edison", "New Jersey", "United States", "088##"),
        ],
        streets: &[
            "## MG Road",
            "###, 4th Cross, Indiranagar",
            "## Oak Tree Road",
        ],
        phones: &["+91 98### #####", "+91 80 #### ####", "+1 732-555-01##"],
        language: "Hindi",
    },
    Culture {
        first: &[
            ("Chinedu", "chinedu"),
            ("Ngozi", "ngozi"),
            ("Oluwaseun", "oluwaseun"),
            ("Adaeze", "adaeze"),
            ("Emeka", "emeka"),
            ("Folake", "folake"),
        ],
        last: &[
            ("Okafor", "okafor"),
            ("Adeyemi", "adeyemi"),
            ("Okonkwo", "okonkwo"),
            ("Balogun", "balogun"),
            ("Eze", "eze"),
        ],
        places: &[
            place("Lagos", "Lagos", "Nigeria", "1#####"),
            place("Abuja", "FCT", "Nigeria", "9#####"),
            place("Houston", "Texas", "United States", "770##"),
        ],
        streets: &[
            "## Awolowo Road, Ikoyi",
            "# Adetokunbo Ademola Crescent",
            "#### Westheimer Road",
        ],
        phones: &["+234 803 ### ####", "+234 1 ### ####", "+1 713-555-01##"],
        language: "English",
    },
    Culture {
        first: &[
            ("Youssef", "youssef"),
            ("Layla", "layla"),
            ("Omar", "omar"),
            ("Fatima", "fatima"),
            ("Karim", "karim"),
            ("Nour", "nour"),
        ],
        last: &[
            ("Haddad", "haddad"),
            ("Al-Farsi", "alfarsi"),
            ("Mansour", "mansour"),
            ("Khalil", "khalil"),
            ("El-Amin", "elamin"),
        ],
        places: &[
            place("Dubai", "Dubai", "United Arab Emirates", "#####"),
            place("Beirut", "Beirut", "Lebanon", "11## ####"),
            place("Dearborn", "Michigan", "United States", "481##"),
        ],
        streets: &[
            "Sheikh Zayed Road, Tower #",
            "Rue Hamra, Building ##",
            "#### Michigan Avenue",
        ],
        phones: &["+971 4 ### ####", "+961 1 ### ###", "+1 313-555-01##"],
        language: "العربية",
    },
    Culture {
        first: &[
            ("João", "joao"),
            ("Ana", "ana"),
            ("Luíza", "luiza"),
            ("Gonçalo", "goncalo"),
            ("Thiago", "thiago"),
            ("Beatriz", "beatriz"),
        ],
        last: &[
            ("Silva", "silva"),
            ("Gonçalves", "goncalves"),
            ("Araújo", "araujo"),
            ("Conceição", "conceicao"),
            ("Ribeiro", "ribeiro"),
        ],
        places: &[
            place("São Paulo", "SP", "Brazil", "01###-###"),
            place("Lisboa", "Lisboa", "Portugal", "1###-###"),
            place("Porto Alegre", "RS", "Brazil", "90###-###"),
        ],
        streets: &[
            "Avenida Paulista, ####",
            "Rua Augusta, ###",
            "Rua do Ouro ##, #º",
        ],
        phones: &["+55 11 9####-####", "+351 21 ### ####", "+55 51 ####-####"],
        language: "Português",
    },
];

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
