"""Word lists for synthetic records, written for this project.

Given and family names are common in the UK across ethnic groups; the generator combines them at
random, so a full name never describes a real person on purpose. Streets are generic, house
numbers random, telephone numbers come from Ofcom's ranges reserved for drama (07700 900xxx,
01632 960xxx), and no postcode is written here (the places have them: areas.py, places.py).
"""

GIVEN = {
    "white": {
        "female": [
            "Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophie", "Grace", "Mia", "Poppy", "Ella",
            "Lily", "Evie", "Chloe", "Jessica", "Freya", "Holly", "Ellie", "Megan", "Charlotte",
            "Lucy", "Katie", "Lauren", "Bethany", "Abigail", "Millie", "Daisy", "Ruby", "Phoebe",
            "Hannah", "Rebecca", "Courtney", "Shannon", "Kayleigh", "Jade", "Summer", "Tegan",
            "Lexi", "Scarlett", "Niamh", "Caitlin", "Zofia", "Maja", "Wiktoria", "Elena",
        ],
        "male": [
            "Oliver", "Jack", "Harry", "George", "Charlie", "Jacob", "Thomas", "Oscar", "William",
            "James", "Alfie", "Joshua", "Freddie", "Archie", "Ethan", "Noah", "Leo", "Logan",
            "Mason", "Riley", "Tyler", "Kieran", "Callum", "Connor", "Liam", "Dylan", "Jake",
            "Lewis", "Ryan", "Nathan", "Kai", "Bradley", "Jordan", "Reece", "Owen", "Finley",
            "Toby", "Harvey", "Jayden", "Cameron", "Jakub", "Szymon", "Filip", "Luca",
        ],
    },
    "asian": {
        "female": [
            "Aisha", "Amira", "Fatima", "Zara", "Maryam", "Hafsa", "Inaya", "Safa", "Sana",
            "Priya", "Anika", "Simran", "Jasleen", "Harleen", "Nadia", "Ayesha", "Khadija",
            "Tahmina", "Nusrat", "Riya", "Divya", "Meera", "Alisha", "Laiba",
        ],
        "male": [
            "Mohammed", "Muhammad", "Ali", "Ibrahim", "Yusuf", "Hamza", "Zain", "Ayaan", "Rayan",
            "Arjun", "Rohan", "Aarav", "Harjit", "Gurpreet", "Imran", "Bilal", "Adnan", "Faisal",
            "Shahid", "Rahim", "Kabir", "Dev", "Sahil", "Tariq",
        ],
    },
    "black": {
        "female": [
            "Amara", "Chiamaka", "Adaeze", "Nia", "Zuri", "Imani", "Abena", "Efua", "Ama",
            "Ayodele", "Folake", "Simone", "Tiana", "Kezia", "Shanice", "Jada", "Precious",
            "Blessing", "Hodan", "Fadumo", "Naomi", "Esther", "Leah", "Aaliyah",
        ],
        "male": [
            "Kwame", "Kofi", "Chidi", "Emeka", "Tunde", "Femi", "Dami", "Tobi", "Jamal", "Malik",
            "Andre", "Marcus", "Tyrese", "Jerome", "Kyle", "Isaiah", "Elijah", "Daniel",
            "Samuel", "Abdi", "Mahad", "Yonas", "Kelechi", "Ryan",
        ],
    },
    "other": {
        "female": [
            "Layla", "Yasmin", "Noor", "Mariam", "Lina", "Hana", "Mei", "Lian", "Yuki", "Sara",
            "Ana", "Maria", "Daria", "Elif", "Zeynep", "Shirin", "Parisa", "Rania",
        ],
        "male": [
            "Omar", "Ahmed", "Karim", "Youssef", "Hassan", "Amir", "Ali", "Wei", "Jun", "Kenji",
            "Mateo", "Diego", "Emre", "Can", "Reza", "Dariush", "Sami", "Nikolai",
        ],
    },
}

FAMILY = {
    "white": [
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
        "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards",
        "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Jackson",
        "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark",
        "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis",
        "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook",
        "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller",
        "Cox", "Richards", "Marshall", "Pascoe", "Penrose", "Trewin",
        "Rowe", "Nicholls", "Tregear", "Hocking", "Jory", "Chapman", "Stevens", "Webb",
        "Kowalski", "Nowak", "Wisniewski", "Popescu", "Novak", "Kazlauskas",
    ],
    "asian": [
        "Khan", "Ahmed", "Ali", "Hussain", "Begum", "Rahman", "Islam", "Akhtar", "Iqbal",
        "Malik", "Shah", "Mahmood", "Rashid", "Chowdhury", "Uddin", "Miah", "Patel", "Singh",
        "Kaur", "Sharma", "Gill", "Sandhu", "Kumar", "Mistry", "Desai", "Joshi", "Bibi",
        "Choudhury", "Sidhu", "Parmar",
    ],
    "black": [
        "Okafor", "Adeyemi", "Okoye", "Mensah", "Boateng", "Owusu", "Asante", "Adebayo",
        "Okonkwo", "Nwosu", "Oluwole", "Balogun", "Campbell", "Brown", "Williams", "Johnson",
        "Francis", "Grant", "Henry", "Reid", "Clarke", "Thomas", "Hassan", "Mohamed", "Abdi",
        "Osei", "Appiah", "Danso", "Tesfaye", "Bekele",
    ],
    "other": [
        "Hassan", "Ibrahim", "Haddad", "Nasser", "Saleh", "Karimi", "Rahimi", "Ahmadi",
        "Yilmaz", "Demir", "Kaya", "Chen", "Wang", "Li", "Zhang", "Liu", "Nguyen", "Tran",
        "Santos", "Silva", "Garcia", "Rodriguez", "Petrov", "Ivanova",
    ],
}

# Officers and staff: names drawn from every group.
STAFF_GIVEN = [
    "Sarah", "Claire", "Emma", "Rachel", "Nicola", "Helen", "Gemma", "Kirsty", "Priya", "Aisha",
    "Mark", "David", "Paul", "Steven", "Andrew", "Gareth", "Darren", "Lee", "Imran", "Marcus",
    "Jo", "Sam", "Alex", "Chris", "Tom", "Kate", "Becky", "Dan", "Rob", "Nadia",
]

NICKNAME_SUFFIXES = ["y", "ie", "o"]

TOWNS = {
    "devon-and-cornwall": [
        "Plymouth", "Exeter", "Torquay", "Paignton", "Barnstaple", "Truro", "Newquay",
        "Penzance", "Falmouth", "St Austell", "Bodmin", "Camborne", "Redruth", "Exmouth",
        "Newton Abbot", "Tiverton", "Bideford",
    ],
}

LOCAL_AUTHORITIES = {
    "devon-and-cornwall": [
        ("Plymouth City Council", 0.34), ("Devon County Council", 0.33),
        ("Cornwall Council", 0.23), ("Torbay Council", 0.10),
    ],
}

DISTRICTS = ["North", "South", "East", "West", "Central"]

STREETS = [
    "Station Road", "Church Lane", "Park Avenue", "Mill Street", "Victoria Road", "Queens Road",
    "Meadow Close", "Rowan Way", "Orchard Drive", "Hillside Crescent", "Chapel Street",
    "Elm Grove", "Harbour View", "Fore Street", "Castle Road", "Moor View", "Willow Court",
    "Beech Avenue", "Priory Road", "Coronation Terrace",
]

CARE_HOMES = [
    "Oakfield House", "The Willows", "Harbourside children's home", "Beacon View",
    "Larch Lodge", "Foxglove House", "Seaview children's home", "Holly Tree House",
]

# Places (places.py): more streets, and the names of the force's schools, hotels, associates'
# flats and children's relatives. Invented; a real place may share a name by chance.
PLACE_STREETS = ["Union Street", "North Hill", "Market Street", "Bridge Street", "Albert Road",
                 "Trelawney Road", "Lower Street", "Clifton Place"]
SCHOOLS = ["Moorside", "Riverside", "Castlegate", "Westfield", "Kingsmead", "Hillcrest",
           "Parkway", "Oakwood", "Brookfield", "Seaward", "Eastlake", "Northgate", "Southmoor",
           "Valley View", "Highcliff", "Beechwood", "Priory", "Lowenna", "Greenbank",
           "Ashgrove", "Redhill", "Coombe"]
SCHOOL_KINDS = ["Academy", "Community College", "School", "High School"]
HOTELS = [("Harbour Lights Hotel", ""), ("Sandpiper Guest House", ""),  # (name, street)
          ("The Station Hotel", "Station Road"), ("Bay View Lodge", ""),
          ("Short-let flat, Chapel Street", "Chapel Street")]
ASSOCIATES = ["Deano", "Tia", "Jay", "Shannon", "Kyle", "Macca", "Leanne", "Ricky"]
RELATIVES = ["Grandmother", "Grandparents", "Aunt", "Uncle", "Older sister", "Father"]

PLACES_SEEN = [
    "the bus station", "the town centre", "the railway station", "the park near home",
    "a friend's address", "the seafront", "the retail park", "outside school",
    "the skate park", "the corner shop", "the beach car park", "a fast-food restaurant",
]

BUILDS = ["Slim", "Medium", "Stocky", "Slight", "Tall, slim", "Small"]
HAIR = [
    "short brown", "long brown", "shoulder-length blonde", "short black", "long black",
    "curly dark", "ginger", "dyed red", "braided black", "shaved", "light brown in a ponytail",
]
TOPS = [
    "black hooded top", "grey hoodie", "navy puffer jacket", "school blazer", "white T-shirt",
    "green parka", "black North-style jacket", "red zip-up top", "denim jacket",
]
BOTTOMS = ["grey joggers", "black jeans", "blue jeans", "school trousers", "black leggings",
           "tracksuit bottoms", "black skirt and tights"]
SHOES = ["white trainers", "black trainers", "sliders", "school shoes", "black boots"]

CIRCUMSTANCES = {
    "care": [
        "Did not return to the placement by the agreed time of {hour}. Not answering phone.",
        "Left the placement after an argument with staff about phone use.",
        "Went out saying they were going to the shop and has not come back.",
        "Absconded from the placement during the evening; staff followed the missing protocol.",
        "Was collected by an unknown car near the placement according to another resident.",
    ],
    "home": [
        "Did not come home after school; friends have not seen them since the afternoon.",
        "Left home after an argument with a parent and has not returned.",
        "Went to a friend's house and did not come back by the agreed time of {hour}.",
        "Bed found empty in the morning; window left open.",
        "Told a sibling they were going into town and has not been heard from since.",
    ],
    "school": [
        "Left school at lunchtime without permission and did not return.",
        "Did not arrive at school after being dropped off at the gate.",
    ],
    "hospital": [
        "Left the ward without being discharged while waiting for an assessment.",
    ],
    "other": [
        "Left a relative's house during a family visit and has not returned.",
        "Separated from a school trip group and has not returned to the coach.",
    ],
}

WHEREABOUTS = [
    "May be with friends in {town}.", "Possibly at a boyfriend's or girlfriend's address.",
    "Has previously been found at {place}.", "Unknown.", "May have travelled to a relative.",
    "Previously found in {town} town centre.",
]

REPORTERS = {
    "care": [("Residential care worker", 0.55), ("Foster carer", 0.35), ("Social worker", 0.10)],
    "home": [("Mother", 0.50), ("Father", 0.22), ("Stepparent", 0.08), ("Grandparent", 0.12),
             ("Sibling", 0.08)],
    "school": [("Head of year", 0.6), ("Designated safeguarding lead", 0.4)],
    "hospital": [("Ward nurse", 1.0)],
    "other": [("Aunt", 0.4), ("Teacher", 0.3), ("Family friend", 0.3)],
}

RATIONALES = [
    "Known to return by morning; has done so on each previous occasion.",
    "Carer reports the child is with a friend's family and has spoken to them by phone.",
    "Child messaged their carer to say they are safe and will be back tonight.",
    "Regular pattern of returning a few hours after curfew.",
    "Seen on CCTV at the bus station in good spirits, believed heading to a grandparent's.",
    "Parent confident the child is at a friend's address; no concerns raised.",
    "Goes missing most weekends and always comes back; no new information of risk.",
]

RATIFY_NOTES = [
    "Agreed: carer confirms the child has done this before and returned safely.",
    "Agreed: no risk factors found on enquiry; review at the next clock.",
    "Agreed: pattern of behaviour known, carer content.",
    "Agreed on the information available; review at the next clock.",
    "Content with the lower grade; keep under review.",
]

DECLINE_NOTES = [
    "Exploitation indicators on the record: the recommended grade stands.",
    "Repeat episodes in the last month: not satisfied the lower grade is justified.",
    "Age and vulnerability of the child: the recommended grade stands.",
    "Insufficient information to justify a lower grade; carry out the recommended actions.",
]

MARKER_NOTES = [
    "Concerns of criminal exploitation (county lines) raised after the return interview.",
    "Seen with older adults known to police; sexual exploitation concerns shared by "
    "children's services.",
    "Found in possession of cash and a second phone; exploitation referral made.",
    "Multi-agency meeting agreed exploitation concerns after repeat episodes.",
]

OTHER_NOTES = [
    "Recently bereaved.", "Phone left behind, which is unusual.", "Has no coat in cold weather.",
    "Recently moved placement.",
]
