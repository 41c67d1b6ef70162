//! The demo newsroom's texts: stories as templates in English, Russian and Azerbaijani, and the
//! places, firms and sources they are filled with. Every name in them is invented.

pub(super) struct Text {
    pub(super) title: &'static str,
    pub(super) lead: &'static str,
    pub(super) body: &'static str,
}

pub(super) struct Story {
    pub(super) section: &'static str,
    pub(super) tags: &'static [&'static str],
    pub(super) en: Text,
    pub(super) ru: Option<Text>,
    pub(super) az: Option<Text>,
}

/// `(en, ru, az)` place names.
pub(super) const CITIES: &[(&str, &str, &str)] = &[
    ("Baku", "Баку", "Bakı"),
    ("Ganja", "Гянджа", "Gəncə"),
    ("Sumgait", "Сумгаит", "Sumqayıt"),
    ("Lankaran", "Ленкорань", "Lənkəran"),
    ("Shaki", "Шеки", "Şəki"),
    ("Tbilisi", "Тбилиси", "Tbilisi"),
    ("Astana", "Астана", "Astana"),
    ("Istanbul", "Стамбул", "İstanbul"),
    ("Aktau", "Актау", "Aktau"),
];

pub(super) const ORGS: &[&str] = &[
    "Caspian Freight Lines",
    "Kura Valley Agro",
    "Absheron Solar",
    "NorthBridge Telecom",
    "Silk Route Logistics",
    "Golden Fleece Bank",
    "Mirvari Textiles",
    "Shirvan Water Works",
    "Blue Steppe Airlines",
];

pub(super) const SOURCES: &[&str] = &[
    "Caspian Courier",
    "Regional Wire Service",
    "foreign media reports",
    "press service of the ministry",
    "Caspian Courier correspondents",
];

pub(super) const EN_EXTRA: &[&str] = &[
    "Officials said further details would be published in the coming days, once the figures have been checked by the relevant agencies.",
    "Local residents who spoke to the Caspian Courier gave a mixed reaction, welcoming the news but asking how quickly the changes would be felt in everyday life.",
    "Analysts noted that similar plans had been announced before, and said the real test would be whether the money and staff arrive on time.",
    "The announcement follows several months of consultations with businesses, municipalities and civil society groups.",
    "A spokesperson declined to give a timetable, saying only that work was \"progressing according to plan\".",
    "Independent experts interviewed for this article urged the authorities to publish the full documents so that the public can judge the plans for themselves.",
];

pub(super) const RU_EXTRA: &[&str] = &[
    "По словам официальных лиц, подробности будут опубликованы в ближайшие дни, после проверки данных профильными ведомствами.",
    "Местные жители, с которыми поговорил корреспондент, отнеслись к новости по-разному: многие приветствуют решение, но спрашивают, когда изменения станут заметны.",
    "Аналитики напоминают, что похожие планы объявлялись и раньше, и главным испытанием станет своевременное финансирование.",
    "Решению предшествовали несколько месяцев консультаций с бизнесом, муниципалитетами и общественными организациями.",
];

pub(super) const AZ_EXTRA: &[&str] = &[
    "Rəsmilərin sözlərinə görə, ətraflı məlumat rəqəmlər yoxlanıldıqdan sonra yaxın günlərdə açıqlanacaq.",
    "Müxbirimizlə danışan sakinlər xəbəri müsbət qarşılasalar da, dəyişikliklərin gündəlik həyatda nə vaxt hiss olunacağını soruşurlar.",
    "Analitiklər oxşar planların əvvəllər də elan edildiyini xatırladır və əsas sınağın maliyyənin vaxtında ayrılması olacağını deyirlər.",
    "Qərardan əvvəl biznes, bələdiyyələr və ictimai təşkilatlarla bir neçə ay məsləhətləşmələr aparılıb.",
];

pub(super) const STORIES: &[Story] = &[
    Story {
        section: "economy",
        tags: &["shipping", "trade", "caspian-sea"],
        en: Text {
            title: "Port of {city} expands cargo terminal as Caspian trade grows",
            lead: "{org} says the new berths will lift capacity by {pct}% within two years.",
            body: "The port of {city} has opened the first phase of an expanded cargo terminal, with {n} metres of new quay and two additional cranes.\n\n\"The middle corridor is no longer a slogan, it is traffic,\" said a manager at {org}, which operates part of the terminal. According to the company, container volumes rose by {pct}% over the past twelve months.\n\nThe second phase, which includes a rail spur and a covered warehouse, is due to be completed next year.",
        },
        ru: Some(Text {
            title: "Порт {city} расширяет грузовой терминал на фоне роста каспийской торговли",
            lead: "По данным {org}, новые причалы увеличат мощность на {pct}% в течение двух лет.",
            body: "В порту {city} открылась первая очередь расширенного грузового терминала: {n} метров нового причала и два дополнительных крана.\n\n«Средний коридор — это уже не лозунг, а реальный трафик», — заявил представитель {org}. По данным компании, объём контейнерных перевозок за год вырос на {pct}%.\n\nВторая очередь, включающая железнодорожную ветку и крытый склад, должна быть завершена в следующем году.",
        }),
        az: Some(Text {
            title: "{city} limanı Xəzər ticarətinin artması ilə yük terminalını genişləndirir",
            lead: "{org} bildirir ki, yeni körpülər iki il ərzində gücü {pct}% artıracaq.",
            body: "{city} limanında genişləndirilmiş yük terminalının birinci mərhələsi istifadəyə verilib: {n} metr yeni körpü və iki əlavə kran.\n\n{org} nümayəndəsinin sözlərinə görə, son on iki ayda konteyner daşımaları {pct}% artıb.\n\nDəmir yolu qolu və qapalı anbarı əhatə edən ikinci mərhələnin gələn il başa çatdırılması gözlənilir.",
        }),
    },
    Story {
        section: "economy",
        tags: &["renewables", "energy", "climate"],
        en: Text {
            title: "{org} switches on {n}-megawatt solar farm near {city}",
            lead: "The plant will cover the daytime needs of roughly {n}00 households, the operator says.",
            body: "A solar farm with a capacity of {n} megawatts began feeding the grid near {city} on Tuesday.\n\nThe project, built by {org}, uses bifacial panels mounted on trackers that follow the sun. Engineers expect output to be {pct}% higher than at fixed installations of the same size.\n\nThe company said it is already studying a second site and a battery storage unit to smooth evening demand.",
        },
        ru: Some(Text {
            title: "{org} запустила солнечную электростанцию мощностью {n} МВт под {city}",
            lead: "Станция покроет дневные потребности примерно {n}00 домохозяйств, сообщает оператор.",
            body: "Солнечная электростанция мощностью {n} мегаватт начала отдавать энергию в сеть под {city} во вторник.\n\nПроект компании {org} использует двусторонние панели на трекерах, следующих за солнцем. Инженеры ожидают, что выработка будет на {pct}% выше, чем у неподвижных установок.\n\nВ компании добавили, что уже изучают вторую площадку и систему накопления энергии.",
        }),
        az: None,
    },
    Story {
        section: "politics",
        tags: &["parliament", "budget"],
        en: Text {
            title: "Parliament committee backs draft budget after {n} amendments",
            lead: "The bill now goes to a full vote; spending on regions such as {city} rises by {pct}%.",
            body: "The budget committee approved the draft state budget late on Monday after accepting {n} amendments proposed by deputies.\n\nThe largest changes concern regional infrastructure: allocations for roads and water supply in districts around {city} were increased by {pct}%.\n\nOpposition members said the document still underestimates inflation, while the finance ministry insisted its forecasts were conservative.",
        },
        ru: Some(Text {
            title: "Бюджетный комитет парламента одобрил проект бюджета после {n} поправок",
            lead: "Законопроект выносится на пленарное голосование; расходы на регионы, включая {city}, растут на {pct}%.",
            body: "Бюджетный комитет поздно вечером в понедельник одобрил проект государственного бюджета, приняв {n} поправок депутатов.\n\nКрупнейшие изменения касаются региональной инфраструктуры: ассигнования на дороги и водоснабжение в районах вокруг {city} увеличены на {pct}%.\n\nПредставители оппозиции считают, что инфляция в документе по-прежнему занижена.",
        }),
        az: Some(Text {
            title: "Parlament komitəsi {n} düzəlişdən sonra büdcə layihəsini dəstəklədi",
            lead: "Layihə plenar iclasa çıxarılır; {city} kimi bölgələrə xərclər {pct}% artır.",
            body: "Büdcə komitəsi bazar ertəsi axşam deputatların təklif etdiyi {n} düzəlişi qəbul edərək dövlət büdcəsi layihəsini təsdiqləyib.\n\nƏn böyük dəyişikliklər regional infrastrukturla bağlıdır: {city} ətrafındakı rayonlarda yollar və su təchizatı üçün ayırmalar {pct}% artırılıb.\n\nMüxalifət üzvləri sənəddə inflyasiyanın hələ də aşağı qiymətləndirildiyini bildiriblər.",
        }),
    },
    Story {
        section: "politics",
        tags: &["elections"],
        en: Text {
            title: "Municipal elections in {city}: turnout reaches {pct}% by midday",
            lead: "Observers from {n} organisations are monitoring polling stations.",
            body: "Voters in {city} are choosing new municipal councils today. By midday, turnout stood at {pct}%, according to the local election commission.\n\nObservers from {n} domestic and international organisations have been accredited. Polling stations close at 19:00 local time, and preliminary results are expected overnight.\n\nCandidates campaigned mainly on public transport, waste collection and green spaces.",
        },
        ru: Some(Text {
            title: "Муниципальные выборы в {city}: явка к полудню достигла {pct}%",
            lead: "За ходом голосования следят наблюдатели от {n} организаций.",
            body: "Жители {city} сегодня выбирают новые муниципальные советы. К полудню явка составила {pct}%, сообщила местная избирательная комиссия.\n\nАккредитованы наблюдатели от {n} местных и международных организаций. Участки закроются в 19:00, предварительные итоги ожидаются ночью.\n\nКандидаты делали ставку на общественный транспорт, вывоз мусора и зелёные зоны.",
        }),
        az: Some(Text {
            title: "{city} bələdiyyə seçkiləri: günortaya qədər fəallıq {pct}% olub",
            lead: "Seçki məntəqələrini {n} təşkilatın müşahidəçiləri izləyir.",
            body: "{city} sakinləri bu gün yeni bələdiyyə şuralarını seçirlər. Yerli seçki komissiyasının məlumatına görə, günortaya qədər fəallıq {pct}% təşkil edib.\n\n{n} yerli və beynəlxalq təşkilatın müşahidəçiləri akkreditasiya olunub. Məntəqələr saat 19:00-da bağlanacaq.\n\nNamizədlər əsasən ictimai nəqliyyat, tullantıların daşınması və yaşıllıq zonaları mövzusunda təşviqat aparıblar.",
        }),
    },
    Story {
        section: "world",
        tags: &["diplomacy", "europe"],
        en: Text {
            title: "Foreign ministers meet in {city} to discuss transport corridor",
            lead: "Delegations from {n} countries signed a joint statement on customs procedures.",
            body: "Foreign ministers and transport officials from {n} countries met in {city} on Thursday to discuss the development of a trans-Caspian transport corridor.\n\nThe joint statement commits the participants to harmonise customs procedures and to cut border waiting times by {pct}% within three years.\n\nThe next meeting is planned for the spring.",
        },
        ru: Some(Text {
            title: "Министры иностранных дел обсудили в {city} транспортный коридор",
            lead: "Делегации {n} стран подписали совместное заявление о таможенных процедурах.",
            body: "В четверг в {city} прошла встреча министров иностранных дел и транспорта {n} стран, посвящённая развитию транскаспийского транспортного коридора.\n\nСовместное заявление обязывает участников гармонизировать таможенные процедуры и сократить время ожидания на границах на {pct}% в течение трёх лет.\n\nСледующая встреча запланирована на весну.",
        }),
        az: None,
    },
    Story {
        section: "world",
        tags: &["united-nations", "climate"],
        en: Text {
            title: "UN climate envoy visits {city}, praises water-saving projects",
            lead: "The envoy toured {n} irrigation sites and met farmers' cooperatives.",
            body: "The United Nations special envoy on climate adaptation spent two days in and around {city}, visiting {n} irrigation sites that use drip systems and recycled water.\n\nFarmers told the envoy that water consumption per hectare had fallen by up to {pct}% since the systems were installed.\n\nThe visit is part of a regional tour ahead of the next climate conference.",
        },
        ru: None,
        az: Some(Text {
            title: "BMT-nin iqlim üzrə elçisi {city} şəhərinə səfər edib",
            lead: "Elçi {n} suvarma obyektini gəzib və fermer kooperativləri ilə görüşüb.",
            body: "Birləşmiş Millətlər Təşkilatının iqlimə uyğunlaşma üzrə xüsusi elçisi iki gün ərzində {city} və ətrafında damcı suvarma və təkrar emal olunmuş sudan istifadə edən {n} obyekti ziyarət edib.\n\nFermerlər bildiriblər ki, sistemlər quraşdırıldıqdan sonra hektar başına su sərfi {pct}%-ə qədər azalıb.",
        }),
    },
    Story {
        section: "society",
        tags: &["education"],
        en: Text {
            title: "{n} new schools to open in {city} region by September",
            lead: "The education ministry says class sizes should fall by {pct}%.",
            body: "The education ministry announced that {n} new schools will open in the {city} region before the start of the academic year.\n\nThe buildings have been designed with energy-efficient heating, sports halls and science laboratories. Officials expect average class sizes to fall by {pct}%.\n\nTeacher recruitment for the new schools begins next month.",
        },
        ru: Some(Text {
            title: "В регионе {city} к сентябрю откроются {n} новых школ",
            lead: "По данным министерства образования, наполняемость классов снизится на {pct}%.",
            body: "Министерство образования сообщило, что к началу учебного года в регионе {city} откроются {n} новых школ.\n\nЗдания спроектированы с энергоэффективным отоплением, спортзалами и лабораториями. Ожидается, что средняя наполняемость классов снизится на {pct}%.\n\nНабор учителей начнётся в следующем месяце.",
        }),
        az: Some(Text {
            title: "{city} bölgəsində sentyabra qədər {n} yeni məktəb açılacaq",
            lead: "Təhsil nazirliyinə görə, siniflərdə şagird sayı {pct}% azalacaq.",
            body: "Təhsil nazirliyi tədris ilinin başlanmasına qədər {city} bölgəsində {n} yeni məktəbin açılacağını elan edib.\n\nBinalar enerjiyə qənaət edən istilik sistemi, idman zalları və laboratoriyalarla layihələndirilib.\n\nYeni məktəblər üçün müəllim seçimi gələn ay başlayacaq.",
        }),
    },
    Story {
        section: "society",
        tags: &["health"],
        en: Text {
            title: "Hospital in {city} opens cardiac centre with {n} beds",
            lead: "Waiting times for heart surgery are expected to fall by {pct}%.",
            body: "A new cardiac centre with {n} beds has opened at the regional hospital in {city}.\n\nThe centre has two operating theatres and a rehabilitation unit. Doctors say patients who previously travelled to the capital for surgery can now be treated closer to home, and that waiting times should fall by {pct}%.\n\nThe health ministry plans similar centres in two other regions.",
        },
        ru: None,
        az: Some(Text {
            title: "{city} xəstəxanasında {n} çarpayılıq kardiologiya mərkəzi açılıb",
            lead: "Ürək əməliyyatları üçün gözləmə müddətinin {pct}% azalacağı gözlənilir.",
            body: "{city} regional xəstəxanasında {n} çarpayılıq yeni kardiologiya mərkəzi fəaliyyətə başlayıb.\n\nMərkəzdə iki əməliyyat otağı və reabilitasiya bölməsi var. Həkimlərin sözlərinə görə, əvvəllər əməliyyat üçün paytaxta gedən xəstələr indi evlərinə yaxın yerdə müalicə oluna biləcəklər.",
        }),
    },
    Story {
        section: "society",
        tags: &["public-transport", "transport"],
        en: Text {
            title: "{city} launches {n} electric buses on busiest routes",
            lead: "The city says emissions on the routes will drop by {pct}%.",
            body: "The first {n} electric buses have entered service in {city}, running on the three busiest routes of the city network.\n\nThe buses charge overnight at a new depot and can cover about 250 kilometres on a single charge. The transport department estimates that emissions on the routes will fall by {pct}%.\n\nPassengers can pay with bank cards and the city transport app.",
        },
        ru: Some(Text {
            title: "В {city} на самые загруженные маршруты вышли {n} электробусов",
            lead: "Выбросы на этих маршрутах сократятся на {pct}%, сообщают в городе.",
            body: "Первые {n} электробусов вышли на линии в {city} на трёх самых загруженных маршрутах городской сети.\n\nАвтобусы заряжаются ночью в новом депо и проходят около 250 километров на одной зарядке. По оценке транспортного управления, выбросы сократятся на {pct}%.\n\nОплатить проезд можно банковской картой и через приложение.",
        }),
        az: None,
    },
    Story {
        section: "sport",
        tags: &["football"],
        en: Text {
            title: "{city} club reaches cup semi-final after {n}-minute comeback",
            lead: "Two late goals sent the home crowd of {n}00 into raptures.",
            body: "The {city} side came from behind to win their quarter-final, scoring twice in the last {n} minutes.\n\nThe visitors had led since the first half, but a header from a corner and a long-range strike turned the tie around. Possession statistics showed the home team with {pct}% of the ball after the break.\n\nThe semi-final draw takes place on Friday.",
        },
        ru: Some(Text {
            title: "Клуб из {city} вышел в полуфинал кубка благодаря камбэку",
            lead: "Два поздних гола привели в восторг {n}00 болельщиков.",
            body: "Команда из {city} отыгралась и выиграла четвертьфинал, забив дважды за последние {n} минут.\n\nГости вели с первого тайма, но гол головой после углового и дальний удар переломили ход встречи. После перерыва хозяева владели мячом {pct}% времени.\n\nЖеребьёвка полуфиналов пройдёт в пятницу.",
        }),
        az: Some(Text {
            title: "{city} klubu son {n} dəqiqədəki qollarla kubokun yarımfinalına çıxdı",
            lead: "İki gec qol {n}00 azarkeşi sevindirdi.",
            body: "{city} komandası hesabda geri qalsa da, son {n} dəqiqədə iki qol vuraraq dörddəbir finalda qalib gəlib.\n\nQonaqlar birinci hissədən öndə idilər, lakin küncdən vurulan baş zərbəsi və uzaq məsafədən zərbə oyunun taleyini dəyişdi.\n\nYarımfinalın püşkatması cümə günü keçiriləcək.",
        }),
    },
    Story {
        section: "sport",
        tags: &["wrestling", "olympics"],
        en: Text {
            title: "Wrestlers from {city} win {n} medals at European championship",
            lead: "The team finished with its best result in a decade.",
            body: "Freestyle and Greco-Roman wrestlers trained in {city} returned with {n} medals from the European championship.\n\nCoaches credited a new sports science programme that cut training injuries by {pct}% over the season.\n\nThe athletes now turn their attention to Olympic qualification events in the spring.",
        },
        ru: None,
        az: Some(Text {
            title: "{city} güləşçiləri Avropa çempionatında {n} medal qazanıb",
            lead: "Komanda son on ilin ən yaxşı nəticəsini göstərib.",
            body: "{city} şəhərində məşq edən sərbəst və yunan-Roma güləşçiləri Avropa çempionatından {n} medalla qayıdıblar.\n\nMəşqçilər mövsüm ərzində zədələri {pct}% azaldan yeni idman elmi proqramını qeyd ediblər.\n\nİdmançılar indi yazda keçiriləcək olimpiya seçmə yarışlarına hazırlaşırlar.",
        }),
    },
    Story {
        section: "sport",
        tags: &["chess"],
        en: Text {
            title: "Teenager from {city} takes rapid chess title in {n} rounds",
            lead: "The 16-year-old finished unbeaten, ahead of {n} grandmasters.",
            body: "A 16-year-old from {city} won the national rapid chess championship, finishing unbeaten after {n} rounds.\n\nHis performance rating was {pct}% above his current rating, and he beat several grandmasters along the way.\n\n\"I just tried to play fast and keep it simple,\" he said after the final round.",
        },
        ru: Some(Text {
            title: "Подросток из {city} выиграл чемпионат по быстрым шахматам",
            lead: "16-летний шахматист не проиграл ни одной партии за {n} туров.",
            body: "16-летний шахматист из {city} стал чемпионом страны по быстрым шахматам, не потерпев ни одного поражения за {n} туров.\n\nЕго турнирный перфоманс оказался на {pct}% выше текущего рейтинга.\n\n«Я просто старался играть быстро и просто», — сказал он после финального тура.",
        }),
        az: None,
    },
    Story {
        section: "culture",
        tags: &["music", "festivals"],
        en: Text {
            title: "Jazz festival returns to {city} with {n} concerts",
            lead: "Organisers expect {pct}% more visitors than last year.",
            body: "The annual jazz festival opens in {city} this week with {n} concerts in theatres, courtyards and a park by the sea.\n\nThe line-up mixes mugham-inspired jazz from local musicians with bands from Europe and Central Asia. Organisers expect attendance to be {pct}% higher than last year.\n\nFree open-air concerts run every evening.",
        },
        ru: Some(Text {
            title: "В {city} вернулся джазовый фестиваль: {n} концертов",
            lead: "Организаторы ждут на {pct}% больше зрителей, чем в прошлом году.",
            body: "На этой неделе в {city} открывается ежегодный джазовый фестиваль: {n} концертов в театрах, дворах и приморском парке.\n\nВ программе — джаз с мотивами мугама от местных музыкантов и коллективы из Европы и Центральной Азии.\n\nКаждый вечер проходят бесплатные концерты под открытым небом.",
        }),
        az: Some(Text {
            title: "Caz festivalı {n} konsertlə {city} şəhərinə qayıdır",
            lead: "Təşkilatçılar keçən illə müqayisədə {pct}% çox qonaq gözləyirlər.",
            body: "İllik caz festivalı bu həftə {city} şəhərində teatrlarda, həyətlərdə və dənizkənarı parkda {n} konsertlə açılır.\n\nProqramda yerli musiqiçilərin muğam motivli cazı və Avropa, Mərkəzi Asiya qrupları var.\n\nHər axşam açıq havada pulsuz konsertlər keçiriləcək.",
        }),
    },
    Story {
        section: "culture",
        tags: &["heritage", "museums"],
        en: Text {
            title: "Restorers finish work on {n}-year-old caravanserai in {city}",
            lead: "The building reopens as a museum of crafts.",
            body: "After three years of restoration, a caravanserai that is about {n} years old has reopened in {city} as a museum of traditional crafts.\n\nRestorers replaced {pct}% of the damaged stonework using stone from the original quarry, and rebuilt the wooden gallery around the courtyard.\n\nWorkshops for carpet weaving and copper chasing will be open to visitors.",
        },
        ru: None,
        az: Some(Text {
            title: "{city} şəhərində {n} illik karvansarayın bərpası başa çatıb",
            lead: "Bina sənətkarlıq muzeyi kimi yenidən açılır.",
            body: "Üç illik bərpa işlərindən sonra {city} şəhərində təxminən {n} illik karvansaray ənənəvi sənətkarlıq muzeyi kimi yenidən açılıb.\n\nBərpaçılar zədələnmiş daş hörgünün {pct}%-ni orijinal karxanadan gətirilən daşla əvəz ediblər.\n\nZiyarətçilər üçün xalçaçılıq və misgərlik emalatxanaları fəaliyyət göstərəcək.",
        }),
    },
    Story {
        section: "culture",
        tags: &["cinema"],
        en: Text {
            title: "Film shot in {city} wins audience award at international festival",
            lead: "The drama was made on a budget of {n} thousand dollars.",
            body: "A drama shot entirely in {city} has won the audience award at an international film festival.\n\nThe film, made on a budget of about {n} thousand dollars with a largely non-professional cast, follows three generations of a fishing family.\n\nDistributors have already bought the rights for {n} countries.",
        },
        ru: Some(Text {
            title: "Фильм, снятый в {city}, получил приз зрительских симпатий",
            lead: "Бюджет драмы составил {n} тысяч долларов.",
            body: "Драма, полностью снятая в {city}, получила приз зрительских симпатий на международном кинофестивале.\n\nФильм с бюджетом около {n} тысяч долларов и преимущественно непрофессиональными актёрами рассказывает о трёх поколениях семьи рыбаков.\n\nПрава на прокат уже купили дистрибьюторы из {n} стран.",
        }),
        az: None,
    },
    Story {
        section: "technology",
        tags: &["telecom"],
        en: Text {
            title: "{org} brings fibre broadband to {n} villages near {city}",
            lead: "Average speeds rise by {pct}% for connected homes.",
            body: "{org} has finished laying fibre-optic cable to {n} villages around {city}, the company said on Wednesday.\n\nHouseholds that switched from copper lines saw average download speeds rise by {pct}%. Schools and clinics in the area were connected first.\n\nThe company plans to cover another district by the end of the year.",
        },
        ru: Some(Text {
            title: "{org} провела оптоволокно в {n} сёл под {city}",
            lead: "Средняя скорость у подключённых домов выросла на {pct}%.",
            body: "Компания {org} завершила прокладку оптоволоконного кабеля в {n} сёл вокруг {city}.\n\nУ домохозяйств, перешедших с медных линий, средняя скорость загрузки выросла на {pct}%. Первыми подключили школы и поликлиники.\n\nДо конца года компания планирует охватить ещё один район.",
        }),
        az: Some(Text {
            title: "{org} {city} yaxınlığındakı {n} kəndə fiber internet çəkib",
            lead: "Qoşulan evlərdə orta sürət {pct}% artıb.",
            body: "{org} {city} ətrafındakı {n} kəndə fiber-optik kabelin çəkilişini başa çatdırıb.\n\nMis xətlərdən keçən ev təsərrüfatlarında orta yükləmə sürəti {pct}% artıb. İlk olaraq məktəblər və poliklinikalar qoşulub.\n\nŞirkət il sonuna qədər daha bir rayonu əhatə etməyi planlaşdırır.",
        }),
    },
    Story {
        section: "technology",
        tags: &["start-ups", "artificial-intelligence"],
        en: Text {
            title: "Start-up from {city} raises {n} million for farm-monitoring AI",
            lead: "The software spots crop disease from satellite images.",
            body: "A start-up founded in {city} has raised {n} million dollars to expand its crop-monitoring software.\n\nThe system analyses satellite and drone images to spot disease and water stress early. Pilot farms reported yields {pct}% higher than neighbouring fields.\n\nThe company plans to hire engineers and open an office in Central Asia.",
        },
        ru: None,
        az: None,
    },
    Story {
        section: "technology",
        tags: &["cybersecurity"],
        en: Text {
            title: "Banks in {city} block {n} phishing sites in a month",
            lead: "Regulators urge customers never to share one-time codes.",
            body: "Banks and the national cyber-security centre blocked {n} phishing websites targeting customers in {city} over the past month.\n\nMost of the sites imitated online banking pages and delivery services. Fraud attempts via messaging apps rose by {pct}%, the centre said.\n\nCustomers are reminded that banks never ask for one-time codes by phone.",
        },
        ru: Some(Text {
            title: "Банки {city} за месяц заблокировали {n} фишинговых сайтов",
            lead: "Регулятор призывает никому не сообщать одноразовые коды.",
            body: "Банки и национальный центр кибербезопасности за последний месяц заблокировали {n} фишинговых сайтов, нацеленных на клиентов в {city}.\n\nБольшинство сайтов копировали страницы интернет-банков и службы доставки. Число попыток мошенничества через мессенджеры выросло на {pct}%.\n\nБанки никогда не запрашивают одноразовые коды по телефону.",
        }),
        az: None,
    },
    Story {
        section: "economy",
        tags: &["agriculture", "exports"],
        en: Text {
            title: "Pomegranate exports from {city} region up {pct}%",
            lead: "{org} ships to {n} countries, including new markets in the Gulf.",
            body: "Exports of pomegranates and pomegranate juice from the {city} region rose by {pct}% this season.\n\nThe largest exporter, {org}, now ships to {n} countries. New cold-storage facilities allowed growers to sell later in the season at higher prices.\n\nFarmers warned, however, that a shortage of seasonal workers could limit further growth.",
        },
        ru: None,
        az: Some(Text {
            title: "{city} bölgəsindən nar ixracı {pct}% artıb",
            lead: "{org} {n} ölkəyə, o cümlədən Körfəzdəki yeni bazarlara ixrac edir.",
            body: "Bu mövsüm {city} bölgəsindən nar və nar şirəsi ixracı {pct}% artıb.\n\nƏn böyük ixracatçı olan {org} hazırda {n} ölkəyə məhsul göndərir. Yeni soyuducu anbarlar fermerlərə məhsulu mövsümün sonunda daha yüksək qiymətə satmağa imkan verib.\n\nFermerlər mövsümi işçi çatışmazlığının artımı məhdudlaşdıra biləcəyini bildiriblər.",
        }),
    },
    Story {
        section: "economy",
        tags: &["banking", "inflation"],
        en: Text {
            title: "Central bank holds rate; inflation eases to {pct}%",
            lead: "Bank says food prices in cities such as {city} are stabilising.",
            body: "The central bank left its key interest rate unchanged on Thursday as annual inflation eased to {pct}%.\n\nIn a statement, the bank said food prices in large cities, including {city}, had stabilised after a rise in the spring. It also noted that credit growth had slowed over the past {n} weeks.\n\nThe next rate decision is due in six weeks.",
        },
        ru: Some(Text {
            title: "Центробанк сохранил ставку; инфляция замедлилась до {pct}%",
            lead: "По оценке банка, цены на продукты в крупных городах, включая {city}, стабилизировались.",
            body: "Центральный банк в четверг сохранил ключевую ставку без изменений: годовая инфляция замедлилась до {pct}%.\n\nВ заявлении банка говорится, что цены на продукты в крупных городах, включая {city}, стабилизировались после весеннего роста. Рост кредитования за последние {n} недель замедлился.\n\nСледующее решение по ставке — через шесть недель.",
        }),
        az: Some(Text {
            title: "Mərkəzi bank faizi dəyişmədi; inflyasiya {pct}%-ə düşdü",
            lead: "Banka görə, {city} kimi şəhərlərdə ərzaq qiymətləri sabitləşir.",
            body: "Mərkəzi bank cümə axşamı əsas faiz dərəcəsini dəyişməz saxlayıb, illik inflyasiya {pct}%-ə enib.\n\nBankın açıqlamasında bildirilir ki, {city} daxil olmaqla böyük şəhərlərdə ərzaq qiymətləri yazdakı artımdan sonra sabitləşib.\n\nFaiz dərəcəsi ilə bağlı növbəti qərar altı həftədən sonra veriləcək.",
        }),
    },
];
