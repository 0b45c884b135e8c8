"""The concept lexicon: how IT companies and their clients name the same thing in different
words. Data only (compiled by :mod:`bot.domain.matching.concepts`).

Each concept has

- ``label``: how a reason names it to a rep ("they offer software testing - ...");
- ``kind``: ``service`` (something a company does or sells: testing, RPA, payroll software,
  reselling) or ``segment`` (a kind of company a seek may ask for: banks, hospitals). A
  service a company offers and also names in its seeks describes the company ("resellers for
  OUR backup service"), not its need; a segment does not, so only services are discounted
  that way and only services make two companies competitors;
- ``phrases``: words that name it wherever they appear, in offers or seeks;
- ``needs`` (optional): how a client describes the problem the service solves ("we re-type the
  same data by hand"); these count only in seeks.

A phrase is a few words matched on Snowball stems, in order, case and plural blind; ``...``
stands for up to three words in between ("move ... to the cloud"). Where phrases overlap the
longest wins ("power distribution" is a utility, "distribution" alone a channel). Short,
unambiguous phrases only: a word with another common meaning goes in a longer phrase
("regression test", not "regression", which is also a kind of model).

:data:`CHANNELS` are the concepts of a seek that sells, funds or launches the seeker's own
product ("investors and distributors for our VR courses"): in a seek clause that names one,
a concept after "our" is that product, not a need.

The entries were written from general knowledge of how IT services are sold and bought, not
from the evaluation set; a test checks that each concept joins its phrasings and that an
unrelated text gets none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

SERVICE = "service"
SEGMENT = "segment"


class Entry(NamedTuple):
    """One concept; ``phrases`` and ``needs`` are lists separated by semicolons."""

    label: str
    kind: str
    phrases: str
    needs: str = ""


CHANNELS = ("distribution_channel", "investment", "market_entry")

LEXICON: Mapping[str, Entry] = {
    # -- software engineering ----------------------------------------------------------
    "software_testing": Entry(
        "software testing (QA)",
        SERVICE,
        """qa; quality assurance; software testing; testing services; testing as a service;
        test automation; automated testing; automated tests; manual testing; testers;
        test engineers; qa engineers; regression test; regression testing; regression
        suite; regression pack; regression run; acceptance test; acceptance testing;
        acceptance run; uat; user acceptance; end-to-end tests; e2e tests; selenium;
        cypress; playwright; appium; jmeter; load testing; performance testing; istqb;
        test cases; release sign-off; bug hunting""",
        needs="""bugs; buggy; crashes; check each release; test each release; test every release;
        before each release; before every release; quality of our releases""",
    ),
    "custom_development": Entry(
        "custom software development",
        SERVICE,
        """custom software; software development; bespoke software; outsourced development;
        product engineering; mvp; mvps; web development; web apps; web applications;
        full-stack; fixed-price projects; software house""",
        needs="""build us; build our; develop our; someone to build""",
    ),
    "mobile_apps": Entry(
        "mobile apps",
        SERVICE,
        """mobile app; mobile apps; mobile application; ios; android; flutter; react
        native; kotlin; app development; apps on the stores; app store; play store;
        native apps; in-app""",
        needs="""an app; our own app; app for our customers""",
    ),
    "staff_augmentation": Entry(
        "staff augmentation (dedicated developers)",
        SERVICE,
        """staff augmentation; team extension; team augmentation; extend your team;
        dedicated developers; dedicated team; dedicated teams; dedicated engineers;
        remote developers; remote engineers; offshore team; offshore engineers; offshore
        developers; nearshore team; outstaffing; body leasing; contract developers;
        pre-vetted; vetted engineers; vetted developers""",
        needs="""hire; hiring; recruit; developers for; engineers for; senior developers; senior
        engineers; more developers; more engineers""",
    ),
    "legacy_modernisation": Entry(
        "legacy system modernisation",
        SERVICE,
        """legacy modernisation; legacy modernization; modernise legacy; modernize legacy;
        legacy systems; legacy code; legacy product; legacy application; cobol;
        mainframe; as 400; as400; ibm i; rpg; vb6; visual basic 6; winforms; delphi;
        powerbuilder; .net framework; re-platforming; replatforming; ported to; rewrite""",
        needs="""ageing; aging; outdated; old system; end of life; end-of-life""",
    ),
    "ux_design": Entry(
        "UX/UI design",
        SERVICE,
        """ux; ui; user experience; user interface; ux research; user research; usability;
        usability testing; user testing; ui design; ux design; product design; figma;
        wireframes; design systems; design system; customer journey; clickable
        prototypes; figma prototypes""",
        needs="""drop off; drop-off; abandon; confusing; conversion""",
    ),
    "localisation": Entry(
        "software localisation and translation",
        SERVICE,
        """localisation; l10n; i18n; internationalisation; internationalization;
        translation; translations; translate; translators; translation memory;
        multilingual content; rtl; right-to-left; linguistic; linguists; software
        localization; app localization; website localization; localization services""",
    ),
    # -- data and AI ---------------------------------------------------------------------
    "business_intelligence": Entry(
        "BI dashboards and reporting",
        SERVICE,
        """business intelligence; bi; power bi; tableau; qlik; looker; dashboards;
        dashboard; kpi; kpis; data warehouse; data warehousing; data lake; lakehouse;
        snowflake; synapse; bigquery; redshift; etl; elt; data pipelines; data
        engineering; data platform; single source of truth; one version of the truth;
        management reporting; reporting automation""",
        needs="""spreadsheets; excel files; excel sheets; numbers don't match; numbers do not
        match; monthly report; weekly report""",
    ),
    "machine_learning": Entry(
        "machine learning and data science",
        SERVICE,
        """machine learning; ml; ai models; ml models; data science; data scientists;
        predictive models; predictive analytics; forecasting; churn models; churn
        prediction; recommendation engine; recommendations; deep learning; model
        training; custom models; anomaly detection""",
        needs="""predict; forecast""",
    ),
    "mlops": Entry(
        "MLOps (putting models into production)",
        SERVICE,
        """mlops; model deployment; deploy models; deploying models; model monitoring;
        model serving; feature store; feature stores; retraining; retrain; models in
        production; production ml; ml platform; ml pipelines; kubeflow; mlflow;
        sagemaker""",
    ),
    "computer_vision": Entry(
        "computer vision",
        SERVICE,
        """computer vision; image recognition; object detection; video analytics; image
        analytics; number-plate; number plate; licence plate; license plate; anpr; face
        recognition; facial recognition; shelf analytics; planogram; visual inspection""",
    ),
    "data_annotation": Entry(
        "data annotation (labelling training data)",
        SERVICE,
        """data annotation; annotation; annotators; data labelling; data labeling; bounding
        boxes; polygons; segmentation masks; image tagging; text tagging; training data;
        labelled data; labeled data; image labelling; image labeling; text labelling""",
    ),
    "conversational_ai": Entry(
        "chatbots and conversational AI",
        SERVICE,
        """chatbot; chatbots; chat bot; chat bots; conversational ai; virtual assistant;
        virtual assistants; voice bot; voice bots; voicebot; whatsapp bot; llm; llms;
        gpt; genai; generative ai; nlp; natural language processing; faq bot""",
    ),
    "speech_tech": Entry(
        "speech recognition and voice technology",
        SERVICE,
        """speech recognition; asr; speech-to-text; speech to text; text-to-speech; text to
        speech; tts; voice data; speech data; transcribed audio; transcription; voice
        assistants; speech technology; speech models""",
    ),
    "document_processing": Entry(
        "intelligent document processing (OCR)",
        SERVICE,
        """intelligent document processing; idp; ocr; optical character recognition;
        document capture; data extraction; extract data; handwriting; handwritten;
        scanned documents; paper forms; invoice capture; document ai; forms processing""",
    ),
    # -- automation and back office ------------------------------------------------------
    "rpa": Entry(
        "RPA (software robots)",
        SERVICE,
        """rpa; robotic process automation; software robots; software bots; digital
        workers; uipath; automation anywhere; blue prism; power automate; unattended
        automation; attended automation; process automation; automation coe; rpa bots""",
        needs="""by hand; manually; manual work; manual data entry; manual entry; manual
        back-office; re-type; retype; re-types; retypes; re-key; rekey; re-enter; copy
        and paste; copy-paste; double entry; swivel chair; repetitive tasks; repetitive
        work""",
    ),
    "workflow_automation": Entry(
        "workflow and process automation",
        SERVICE,
        """workflow automation; workflow; workflows; bpm; process mining; camunda;
        low-code; low code; no-code; approvals workflow""",
    ),
    "back_office": Entry(
        "back-office outsourcing (BPO)",
        SERVICE,
        """bpo; bpos; business process outsourcing; back-office; back office; data entry;
        document processing; shared-service; shared service; shared-service centres;
        claims processing; invoice processing; claim submission; medical billing;
        medical coding; revenue cycle management; rcm; accounts payable""",
    ),
    "customer_support": Entry(
        "customer and technical support (helpdesk)",
        SERVICE,
        """customer support; customer service; customer care; helpdesk; help desk; service
        desk; technical support; tech support; call centre; call center; contact centre;
        contact center; support agents; agents; chat support; email support; voice
        support; first-line; first line support; l1 support; l1/l2; support tickets;
        ticket triage; zendesk; freshdesk; 24/7 support; tier-1 support; tier 1 support""",
    ),
    "telesales": Entry(
        "telesales and lead generation",
        SERVICE,
        """telesales; telemarketing; outbound calls; outbound sales; appointment setting;
        cold calling; lead generation; lead-generation; sales calls; inside sales""",
    ),
    # -- cloud and operations ------------------------------------------------------------
    "cloud_migration": Entry(
        "cloud migration",
        SERVICE,
        """cloud migration; migrate to the cloud; move to the cloud; moving to the cloud;
        migration to aws; migration to azure; aws migration; azure migration;
        lift-and-shift; lift and shift; landing zone; landing zones; re-platforming;
        cloud adoption; move ... to the cloud; moving ... to the cloud; migrate ... to
        the cloud; migrating ... to the cloud; move ... to aws; move ... to azure""",
        needs="""on-premise; on premise; on-prem; server room""",
    ),
    "managed_cloud": Entry(
        "managed cloud operations and DevOps",
        SERVICE,
        """managed services; managed service provider; msp; msps; managed operations; 24/7
        operations; cloud operations; devops; sre; site reliability; kubernetes; k8s;
        ci/cd; ci cd; terraform; infrastructure as code; aws; azure; gcp; google cloud;
        uptime; sla; slas; on-call""",
        needs="""outages; run ... for us; look after our servers; keep ... running""",
    ),
    "cloud_cost": Entry(
        "cloud cost optimisation (FinOps)",
        SERVICE,
        """finops; cloud cost; cloud costs; cost optimisation; cost optimization;
        rightsizing; right-sizing; reserved instances; savings plans; cloud spend; cloud
        bill; spend reports""",
    ),
    "backup_recovery": Entry(
        "backup and disaster recovery",
        SERVICE,
        """backup; backups; disaster recovery; business continuity; ransomware recovery;
        veeam; immutable backup; restore; dr service; dr site; backup and dr""",
    ),
    "hosting_datacentre": Entry(
        "data centre, hosting and connectivity",
        SERVICE,
        """data centre; data center; colocation; private cloud; tier iii; dedicated
        servers; web hosting; hosting services; managed hosting""",
    ),
    "network_operations": Entry(
        "network operations (NOC)",
        SERVICE,
        """noc; network operations centre; network operations center; network monitoring;
        network operations; incident management; 24/7 monitoring""",
        needs="""outage; outages""",
    ),
    # -- security ------------------------------------------------------------------------
    "security_testing": Entry(
        "penetration testing and security audits",
        SERVICE,
        """penetration testing; penetration test; pentest; pentests; pen test; pen testing;
        pentesting; vapt; vulnerability assessment; vulnerability assessments; red team;
        red-team; red teaming; ethical hacking; security testing; security test;
        security audit; security audits; appsec; application security; owasp; source
        code review; code review; bug bounty""",
    ),
    "security_operations": Entry(
        "security monitoring (SOC, EDR)",
        SERVICE,
        """soc; security operations centre; security operations center; edr; xdr; mdr;
        endpoint detection; endpoint protection; endpoint security; siem; threat
        detection; threat monitoring; security monitoring; firewalls; firewall; email
        security; antivirus; soc monitoring""",
    ),
    "security_compliance": Entry(
        "security compliance (ISO 27001, PCI DSS)",
        SERVICE,
        """iso 27001; pci dss; pci-dss; soc 2; nis2; dora; compliance audits; security
        compliance; regulator; regulatory audit""",
    ),
    "data_privacy": Entry(
        "data protection (GDPR)",
        SERVICE,
        """gdpr; data protection; dpo; data protection officer; privacy; eu representative;
        article 27; dpia; dpias; privacy rules""",
    ),
    "security_training": Entry(
        "security training and certification",
        SERVICE,
        """cybersecurity training; security training; security awareness; security
        certifications; security certification; ctf; capture the flag; hacking labs;
        cyber range; soc analyst""",
    ),
    # -- identity, payments, finance -----------------------------------------------------
    "identity_verification": Entry(
        "identity verification (eKYC)",
        SERVICE,
        """kyc; ekyc; know your customer; identity verification; verify identity; verify
        their identity; id verification; selfie; id document; id documents; id scanning;
        remote onboarding; digital onboarding; video identification; aml; pep screening;
        biometric; digital identity; liveness check; liveness checks; liveness
        detection; selfie liveness; national id""",
    ),
    "e_signature": Entry(
        "electronic signatures",
        SERVICE,
        """e-signature; e-signatures; esignature; electronic signature; electronic
        signatures; digital signature; digital signatures; qualified signature;
        qualified electronic; eidas; trust services; sign documents; sign contracts;
        sign online; signed online; sign ... online""",
    ),
    "payment_acceptance": Entry(
        "payment acceptance (gateways, acquiring)",
        SERVICE,
        """payment gateway; payment gateways; acquiring; merchant acquiring; card
        acceptance; card payments; psp; psps; checkout; qr payments; pos payments;
        wallet acceptance; payment processing; online payments; payments integration;
        stripe""",
    ),
    "money_transfer": Entry(
        "money transfers and e-money accounts",
        SERVICE,
        """e-money; emoney; iban; iban accounts; sepa; swift; payouts; payout; remittance;
        remittances; money transfer; money transfers; send money; transfers;
        cross-border payments; payment institution; payment licence; payment license;
        banking licence""",
    ),
    "digital_banking": Entry(
        "core and digital banking software",
        SERVICE,
        """core banking; banking software; open banking; psd2; banking apis; digital
        banking; mobile banking; internet banking; branchless banking; mobile wallet;
        mobile wallets; e-wallet; wallet app""",
    ),
    "credit_risk": Entry(
        "credit scoring and lending decisions",
        SERVICE,
        """credit scoring; credit score; credit-risk; credit risk; risk scoring;
        scorecards; decision engine; loan origination; underwriting; alternative data;
        creditworthiness""",
        needs="""defaults; loan applications""",
    ),
    "fraud_prevention": Entry(
        "fraud prevention",
        SERVICE,
        """fraud detection; fraud checks; fraud prevention; anti-fraud; fraud monitoring;
        fraud""",
    ),
    "invoicing_accounting": Entry(
        "invoicing and accounting software",
        SERVICE,
        """e-invoicing; einvoicing; e-factura; saf-t; ubl; accounting software; accounting
        saas; bookkeeping; receivables; expense tracking; tax filings; vat returns;
        invoicing software; invoicing app; invoicing saas; online invoicing""",
    ),
    "payroll_hr": Entry(
        "payroll and HR software",
        SERVICE,
        """payroll; salary slips; payslips; hr software; hris; hr and payroll; labour law;
        labor law""",
    ),
    "investment": Entry(
        "investment (funding rounds)",
        SERVICE,
        """investors; investor; investment; investments; funding; seed; pre-seed; seed
        round; series a; pre-series a; angel; angels; venture capital; vc; tickets of;
        raise; raising; equity; we invest; we back""",
    ),
    "distribution_channel": Entry(
        "reselling and distribution",
        SERVICE,
        """resellers; reseller; resell; reselling; distributors; distributor; value-added
        distribution; channel partners; channel partner; reseller partners; dealer
        network; system integrator; represent; sell our; sales partners; partner
        network; distribution of; distribution partners; distribution partner;
        international distribution; distribution network; distribution rights; system
        integrators; distribution""",
    ),
    "market_entry": Entry(
        "market entry support",
        SERVICE,
        """market entry; market-entry; soft landing; go-to-market; go to market; company
        set-up; company setup; local sales; introductions to; regulatory guidance""",
    ),
    # -- sector products -----------------------------------------------------------------
    "health_records": Entry(
        "hospital and clinic software (EHR, HIS)",
        SERVICE,
        """ehr; emr; electronic health records; health records; electronic medical records;
        hospital information system; his; clinic management; practice management;
        patient portal; patient apps; e-prescriptions; e-prescription; pacs; lis;
        laboratory information system""",
    ),
    "health_integration": Entry(
        "healthcare integration (HL7, FHIR)",
        SERVICE,
        """hl7; fhir; astm; integration engine; interface engine; interoperability;
        interface engineering""",
    ),
    "telemedicine": Entry(
        "telemedicine",
        SERVICE,
        """telemedicine; telehealth; video consults; video consultations; remote
        consultations; online doctors""",
    ),
    "medical_imaging_ai": Entry(
        "medical imaging AI",
        SERVICE,
        """medical imaging; radiology ai; x-rays; x-ray; ct scans; mri; reads scans;
        imaging ai""",
    ),
    "learning_platforms": Entry(
        "e-learning platforms (LMS)",
        SERVICE,
        """lms; learning management; moodle; e-learning; elearning; online courses; online
        exams; proctoring; proctored; scorm; virtual classroom; live classes;
        white-label lms""",
    ),
    "school_management": Entry(
        "school management software",
        SERVICE,
        """school management; student information system; gradebook; report cards; parent
        app; fee collection; school erp""",
    ),
    "erp": Entry(
        "ERP implementation",
        SERVICE,
        """erp; sap; sap business one; s/4hana; s4hana; odoo; microsoft dynamics; dynamics
        365; netsuite; production planning; mrp; bills of materials; inventory
        management; implementation partner""",
        needs="""home-grown; homegrown; in-house system""",
    ),
    "crm": Entry(
        "CRM and sales automation",
        SERVICE,
        """crm; salesforce; hubspot; zoho; sales cloud; pipedrive; lead management; sales
        pipeline; lead pipelines; sales automation; marketing automation; call logging;
        customer database; sales follow-ups""",
        needs="""leads; enquiries; inquiries""",
    ),
    "ecommerce_build": Entry(
        "online shop development",
        SERVICE,
        """online store; online stores; online shop; online-shop; e-shop; webshop; shopify;
        woocommerce; magento; shopware; prestashop; b2b e-commerce; b2b portal; ordering
        portal; online ordering; click-and-collect; storefront""",
        needs="""sell online; order online""",
    ),
    "shipment_tracking": Entry(
        "shipment and fleet tracking",
        SERVICE,
        """track-and-trace; track and trace; gps tracking; fleet tracking; fleet
        management; vehicle tracking; container tracking; shipment tracking; delivery
        tracking; telematics; e-pod; proof of delivery; customs status; visibility of
        shipments""",
    ),
    "route_planning": Entry(
        "route planning and dispatch",
        SERVICE,
        """route optimisation; route optimization; route planning; vehicle routing;
        dispatch; dispatching; driver app; delivery planning; last-mile delivery; last
        mile delivery""",
    ),
    "warehouse_management": Entry(
        "warehouse management software (WMS)",
        SERVICE,
        """warehouse management; wms; warehouse software; stock visibility; inventory
        visibility; pick and pack; barcode scanning; 3pl software""",
    ),
    "digital_marketing": Entry(
        "digital marketing",
        SERVICE,
        """digital marketing; seo; google ads; facebook ads; social media; performance
        marketing; content marketing; landing pages; brand identity; logos; packaging
        design; brand strategy""",
    ),
    "supply_chain_traceability": Entry(
        "supply-chain traceability",
        SERVICE,
        """traceability; provenance; proof of origin; supply-chain; supply chain; chain of
        custody; audit trail; batch ids; product passport""",
    ),
    "blockchain_dev": Entry(
        "blockchain development",
        SERVICE,
        """blockchain; smart contracts; smart-contract; web3; defi; nft; nfts; crypto;
        token; hyperledger; ethereum; permissioned ledger; distributed ledger""",
    ),
    "iot_sensors": Entry(
        "IoT sensors and monitoring",
        SERVICE,
        """iot; sensors; sensor; lorawan; lora; nb-iot; telemetry; remote monitoring;
        loggers; data loggers; iot gateways; lorawan gateways""",
    ),
    "smart_metering": Entry(
        "smart metering",
        SERVICE,
        """smart meter; smart meters; smart-meter; ami; meter data; read meters remotely;
        remote meter reading; meter tampering; tamper; non-technical loss; energy theft;
        power theft""",
    ),
    "cold_chain": Entry(
        "cold-chain temperature monitoring",
        SERVICE,
        """cold chain; cold-chain; cold rooms; cold room; reefer; freezer; temperature
        monitoring; temperature loggers; haccp""",
    ),
    "smart_city": Entry(
        "smart-city systems (parking, traffic)",
        SERVICE,
        """smart city; smart cities; smart parking; parking sensors; parking spaces;
        traffic sensors; traffic monitoring; traffic management; street lighting; smart
        lighting""",
    ),
    "embedded_firmware": Entry(
        "embedded software and firmware",
        SERVICE,
        """embedded; firmware; embedded c; autosar; ecu; ecus; microcontrollers; rtos;
        control units""",
    ),
    "ev_charging": Entry(
        "EV charging",
        SERVICE,
        """ev charging; ev chargers; charging stations; charging equipment; chargers; ocpp;
        charge points""",
    ),
    "precision_agriculture": Entry(
        "precision agriculture",
        SERVICE,
        """soil moisture; soil-moisture; irrigation scheduling; crop monitoring; precision
        agriculture; farm management; weather stations; crop-spraying; crop spraying""",
    ),
    "drones_mapping": Entry(
        "drone surveys and mapping",
        SERVICE,
        """drone; drones; lidar; photogrammetry; aerial survey; gis; mapping; orthophotos""",
    ),
    "e_government": Entry(
        "e-government portals",
        SERVICE,
        """e-government; egovernment; citizen services; citizen portal; government portal;
        online forms; digital forms; public services online""",
    ),
    "telecom_bss": Entry(
        "telecom billing and charging (BSS/OSS)",
        SERVICE,
        """bss; oss; ocs; convergent charging; charging system; telecom billing; prepaid
        billing; postpaid billing""",
    ),
    "voice_carrier": Entry(
        "voice carrier services (VoIP)",
        SERVICE,
        """voip; sip trunks; voice termination; wholesale voice; carrier; carriers; traffic
        exchange""",
    ),
    "game_development": Entry(
        "game development",
        SERVICE,
        """game development; games; game studio; game studios; unity; unreal; mobile games;
        live ops; nintendo switch; playstation; xbox; console porting; game porting;
        porting to consoles; game co-development; console games; steam release""",
    ),
    "game_art": Entry(
        "game art and animation",
        SERVICE,
        """game art; concept art; 3d characters; 3d art; 2d art; 2d/3d art; characters;
        environments; rigging; animation; art outsourcing; art production""",
    ),
    "xr": Entry(
        "VR/AR (immersive tech)",
        SERVICE,
        """vr; ar; xr; virtual reality; augmented reality; mixed reality; immersive;
        immersive-tech; metaverse; meta quest; hololens; simulations; simulation""",
    ),
    "tech_training": Entry(
        "IT training and certification",
        SERVICE,
        """bootcamps; bootcamp; certification training; courses""",
    ),
    # -- segments: kinds of company a seek may ask for ---------------------------------------
    "banks": Entry(
        "banks and lenders",
        SEGMENT,
        """bank; banks; lender; lenders; microfinance; credit union; credit unions;
        financial institutions""",
    ),
    "insurers": Entry(
        "insurers",
        SEGMENT,
        """insurer; insurers; insurance; insurtech; brokers""",
    ),
    "healthcare_providers": Entry(
        "hospitals and clinics",
        SEGMENT,
        """hospital; hospitals; clinic; clinics; medical laboratories; labs; pharmacies;
        pharmacy; healthcare providers""",
    ),
    "education_providers": Entry(
        "schools and universities",
        SEGMENT,
        """school; schools; universities; university; academies; colleges; students""",
    ),
    "telcos": Entry(
        "telecom operators",
        SEGMENT,
        """telco; telcos; mobile operators; mobile network; isp; isps; subscribers; telecom
        operators; network operators""",
    ),
    "manufacturers": Entry(
        "manufacturers",
        SEGMENT,
        """manufacturer; manufacturers; manufacturing; factories; factory; mills; plants;
        production lines; oems; tier-1; tier-2""",
    ),
    "retailers": Entry(
        "retail and restaurant chains",
        SEGMENT,
        """retail chains; retailers; restaurant chains; restaurants; supermarkets;
        merchants; store chains; retail stores; shop owners""",
    ),
    "logistics_companies": Entry(
        "logistics and freight companies",
        SEGMENT,
        """freight; freight forwarders; freight forwarding; 3pl; couriers; courier;
        logistics; port operators; trucking; fleets""",
    ),
    "utilities": Entry(
        "utilities",
        SEGMENT,
        """utilities; utility; electricity distribution; power distribution; water
        authorities; water utility; grid""",
    ),
    "public_sector": Entry(
        "governments and municipalities",
        SEGMENT,
        """government; governments; municipalities; municipality; city hall; public sector;
        public-sector; ministry; province; cities; public authority; public authorities;
        local authorities; government agencies""",
    ),
    "startups": Entry(
        "startups",
        SEGMENT,
        """startups; startup; scale-ups; founders""",
    ),
    "software_vendors": Entry(
        "software vendors (ISVs, SaaS)",
        SEGMENT,
        """isv; isvs; saas companies; software vendors; software companies; product
        companies""",
    ),
    "agriculture": Entry(
        "farmers and agribusiness",
        SEGMENT,
        """farmers; farmer; farms; farmland; agri; agribusiness; cooperatives; growers""",
    ),
}
