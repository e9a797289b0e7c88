# ruff: noqa: E501  (one sentence per line reads better than wrapped translations)
"""The fixed wording of invitation letters and of the code pages, per language.

The questionnaire supplies its own title, area names and consent text; these
are the few sentences around them. Danish and English are final; the other
languages are drafts awaiting native review, like the questionnaire's own
draft translations (``DRAFT``), and staff should have them checked before
printing. ``{title}``, ``{area}``, ``{code}`` and ``{url}`` are filled in.
"""

from __future__ import annotations

DRAFT = frozenset({"ar", "fa", "so", "tr", "ur", "bs"})

TEXTS: dict[str, dict[str, str]] = {
    "da": {
        "heading": "Invitation: {title}",
        "reminder": "Påmindelse – vi har endnu ikke fået jeres svar.",
        "intro": "Vi vil gerne høre, hvordan det er at bo i {area}. Det tager 10–15 minutter at svare.",
        "how": "Scan QR-koden ovenfor med en mobiltelefon, eller gå ind på adressen ovenfor og skriv koden.",
        "code_label": "Jeres kode",
        "once": "Koden kan bruges én gang, til ét svar fra husstanden. Jeres svar gemmes uden navn, adresse og kode.",
        "more": "Den fulde information om behandlingen af jeres svar vises, før det første spørgsmål.",
        "enter_heading": "Har du en kode fra et brev?",
        "enter_label": "Kode",
        "enter_button": "Start med koden",
        "unknown": "Koden findes ikke. Tjek, at den er skrevet som i brevet.",
        "used_heading": "Koden er allerede brugt",
        "used": "Der er allerede sendt et svar med denne kode. Hver kode giver ét svar. Tak for jeres deltagelse.",
    },
    "en": {
        "heading": "Invitation: {title}",
        "reminder": "Reminder – we have not yet received your household's answers.",
        "intro": "We would like to hear what it is like to live in {area}. Answering takes 10–15 minutes.",
        "how": "Scan the QR code above with a mobile phone, or go to the address above and type the code.",
        "code_label": "Your code",
        "once": "The code can be used once, for one response from the household. Your answers are stored without name, address or code.",
        "more": "The full information on how your answers are handled is shown before the first question.",
        "enter_heading": "Do you have a code from a letter?",
        "enter_label": "Code",
        "enter_button": "Start with the code",
        "unknown": "This code does not exist. Check that it is typed as in the letter.",
        "used_heading": "This code has already been used",
        "used": "A response has already been sent with this code. Each code gives one response. Thank you for taking part.",
    },
    "ar": {
        "heading": "دعوة: {title}",
        "reminder": "تذكير – لم نستلم إجابات أسرتكم بعد.",
        "intro": "نود أن نعرف كيف هي الحياة في {area}. تستغرق الإجابة من 10 إلى 15 دقيقة.",
        "how": "امسح رمز QR بهاتفك المحمول، أو ادخل إلى العنوان واكتب الرمز.",
        "code_label": "رمزكم",
        "once": "يمكن استخدام الرمز مرة واحدة، لإجابة واحدة من الأسرة. تُحفظ إجاباتكم دون اسم أو عنوان أو رمز.",
        "more": "تُعرض المعلومات الكاملة عن معالجة إجاباتكم قبل السؤال الأول.",
        "enter_heading": "هل لديك رمز من رسالة؟",
        "enter_label": "الرمز",
        "enter_button": "ابدأ بالرمز",
        "unknown": "هذا الرمز غير موجود. تأكد من كتابته كما في الرسالة.",
        "used_heading": "تم استخدام هذا الرمز من قبل",
        "used": "تم إرسال إجابة بهذا الرمز من قبل. كل رمز يعطي إجابة واحدة. شكرًا لمشاركتكم.",
    },
    "fa": {
        "heading": "دعوت‌نامه: {title}",
        "reminder": "یادآوری – هنوز پاسخ خانوادهٔ شما به دست ما نرسیده است.",
        "intro": "مایلیم بدانیم زندگی در {area} چگونه است. پاسخ دادن ۱۰ تا ۱۵ دقیقه طول می‌کشد.",
        "how": "کد QR را با تلفن همراه اسکن کنید، یا به نشانی بالا بروید و کد را وارد کنید.",
        "code_label": "کد شما",
        "once": "این کد فقط یک بار، برای یک پاسخ از هر خانوار، قابل استفاده است. پاسخ‌های شما بدون نام، نشانی و کد ذخیره می‌شوند.",
        "more": "اطلاعات کامل دربارهٔ پردازش پاسخ‌های شما پیش از نخستین پرسش نمایش داده می‌شود.",
        "enter_heading": "آیا کدی از یک نامه دارید؟",
        "enter_label": "کد",
        "enter_button": "شروع با کد",
        "unknown": "این کد وجود ندارد. بررسی کنید که همان‌طور که در نامه آمده نوشته شده باشد.",
        "used_heading": "این کد قبلاً استفاده شده است",
        "used": "با این کد قبلاً پاسخی فرستاده شده است. هر کد یک پاسخ می‌دهد. از مشارکت شما سپاسگزاریم.",
    },
    "so": {
        "heading": "Casuumaad: {title}",
        "reminder": "Xusuusin – weli ma aanan helin jawaabaha qoyskiinna.",
        "intro": "Waxaan jeclaan lahayn inaan ogaanno sida ay tahay ku noolaanshaha {area}. Ka jawaabiddu waxay qaadataa 10–15 daqiiqo.",
        "how": "Ku iskaan garee koodhka QR taleefan gacmeed, ama tag cinwaanka oo qor koodhka.",
        "code_label": "Koodhkiinna",
        "once": "Koodhka hal mar ayaa la isticmaali karaa, hal jawaab oo qoyska ka timaadda. Jawaabahiinna waxaa lagu kaydiyaa magac, cinwaan iyo koodh la'aan.",
        "more": "Macluumaadka buuxa ee ku saabsan sida jawaabahiinna loo maareeyo waxaa la muujinayaa ka hor su'aasha koowaad.",
        "enter_heading": "Ma haysaa koodh warqad kaaga yimid?",
        "enter_label": "Koodh",
        "enter_button": "Ku bilow koodhka",
        "unknown": "Koodhkan ma jiro. Hubi inaad u qortay sida warqadda ku qoran.",
        "used_heading": "Koodhkan horay ayaa loo isticmaalay",
        "used": "Jawaab ayaa horay loogu diray koodhkan. Koodh kastaa wuxuu bixiyaa hal jawaab. Waad ku mahadsan tihiin ka qaybgalka.",
    },
    "tr": {
        "heading": "Davet: {title}",
        "reminder": "Hatırlatma – hanenizin yanıtlarını henüz almadık.",
        "intro": "{area} bölgesinde yaşamanın nasıl olduğunu öğrenmek istiyoruz. Yanıtlamak 10–15 dakika sürer.",
        "how": "QR kodunu cep telefonuyla tarayın ya da adrese gidip kodu yazın.",
        "code_label": "Kodunuz",
        "once": "Kod bir kez, hane başına tek bir yanıt için kullanılabilir. Yanıtlarınız ad, adres ve kod olmadan saklanır.",
        "more": "Yanıtlarınızın nasıl işlendiğine dair bilgilerin tamamı ilk sorudan önce gösterilir.",
        "enter_heading": "Mektupla gelen bir kodunuz var mı?",
        "enter_label": "Kod",
        "enter_button": "Kodla başla",
        "unknown": "Bu kod mevcut değil. Mektuptaki gibi yazıldığını kontrol edin.",
        "used_heading": "Bu kod zaten kullanıldı",
        "used": "Bu kodla zaten bir yanıt gönderildi. Her kod bir yanıt verir. Katılımınız için teşekkür ederiz.",
    },
    "ur": {
        "heading": "دعوت نامہ: {title}",
        "reminder": "یاد دہانی – ہمیں ابھی تک آپ کے گھرانے کے جوابات نہیں ملے۔",
        "intro": "ہم جاننا چاہتے ہیں کہ {area} میں رہنا کیسا ہے۔ جواب دینے میں 10 سے 15 منٹ لگتے ہیں۔",
        "how": "موبائل فون سے QR کوڈ اسکین کریں، یا پتے پر جا کر کوڈ لکھیں۔",
        "code_label": "آپ کا کوڈ",
        "once": "یہ کوڈ صرف ایک بار، گھرانے کے ایک جواب کے لیے استعمال ہو سکتا ہے۔ آپ کے جوابات نام، پتے اور کوڈ کے بغیر محفوظ کیے جاتے ہیں۔",
        "more": "آپ کے جوابات کے استعمال کے بارے میں مکمل معلومات پہلے سوال سے پہلے دکھائی جاتی ہیں۔",
        "enter_heading": "کیا آپ کے پاس خط میں آیا ہوا کوڈ ہے؟",
        "enter_label": "کوڈ",
        "enter_button": "کوڈ کے ساتھ شروع کریں",
        "unknown": "یہ کوڈ موجود نہیں ہے۔ تسلی کریں کہ یہ خط کے مطابق لکھا گیا ہے۔",
        "used_heading": "یہ کوڈ پہلے ہی استعمال ہو چکا ہے",
        "used": "اس کوڈ سے پہلے ہی ایک جواب بھیجا جا چکا ہے۔ ہر کوڈ سے ایک جواب دیا جا سکتا ہے۔ شرکت کا شکریہ۔",
    },
    "bs": {
        "heading": "Poziv: {title}",
        "reminder": "Podsjetnik – još nismo primili odgovore vašeg domaćinstva.",
        "intro": "Željeli bismo čuti kako je živjeti u području {area}. Odgovaranje traje 10–15 minuta.",
        "how": "Skenirajte QR kod mobilnim telefonom ili idite na adresu i upišite kod.",
        "code_label": "Vaš kod",
        "once": "Kod se može koristiti jednom, za jedan odgovor domaćinstva. Vaši odgovori se čuvaju bez imena, adrese i koda.",
        "more": "Potpune informacije o obradi vaših odgovora prikazuju se prije prvog pitanja.",
        "enter_heading": "Imate li kod iz pisma?",
        "enter_label": "Kod",
        "enter_button": "Počnite s kodom",
        "unknown": "Ovaj kod ne postoji. Provjerite je li upisan kao u pismu.",
        "used_heading": "Ovaj kod je već iskorišten",
        "used": "S ovim kodom je već poslan odgovor. Svaki kod daje jedan odgovor. Hvala na učešću.",
    },
}


def text(language: str, key: str, **values: str) -> str:
    """The sentence ``key`` in ``language`` (English when the language has none), filled in."""
    table = TEXTS.get(language) or TEXTS["en"]
    return table[key].format(**values)
